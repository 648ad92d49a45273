"""The schema, as an append-only list of numbered migrations (sqlite-utils).

Never edit a migration that has shipped: add a new one. The database's
``PRAGMA user_version`` is the number of migrations applied; bump
``migrations.LATEST`` together with every new migration.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("verweef")


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE region (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            municipalities TEXT NOT NULL DEFAULT '[]',
            coach TEXT,
            coach_status TEXT NOT NULL DEFAULT 'planned',
            appointed_on TEXT,
            ends_on TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE site (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            address TEXT,
            municipality TEXT,
            municipality_key TEXT NOT NULL DEFAULT '',
            region_id INTEGER REFERENCES region(id),
            kind TEXT,
            stage TEXT NOT NULL DEFAULT 'identified',
            floor_area_m2 REAL,
            owner TEXT,
            zoning TEXT,
            rup TEXT,
            lat REAL,
            lon REAL,
            tags TEXT NOT NULL DEFAULT '[]',
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX site_natural_key ON site(name_key, municipality_key);
        CREATE INDEX site_region_stage ON site(region_id, stage);

        -- Every stage a site has been in, and since when (the report's funnel).
        CREATE TABLE site_stage (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            since TEXT NOT NULL,
            -- set when a visit moved the site on; removing the visit undoes it
            activity_id INTEGER REFERENCES activity(id) ON DELETE CASCADE,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX site_stage_site ON site_stage(site_id, since);
        CREATE INDEX site_stage_since ON site_stage(since);
        CREATE INDEX site_stage_activity ON site_stage(activity_id) WHERE activity_id IS NOT NULL;

        CREATE TABLE contact (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            organisation TEXT,
            organisation_key TEXT NOT NULL DEFAULT '',
            role TEXT,
            email TEXT,
            phone TEXT,
            region_id INTEGER REFERENCES region(id) ON DELETE SET NULL,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX contact_email ON contact(lower(email)) WHERE email IS NOT NULL;
        CREATE UNIQUE INDEX contact_natural_key ON contact(name_key, organisation_key);

        CREATE TABLE contact_site (
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
            role TEXT,
            PRIMARY KEY (contact_id, site_id)
        ) WITHOUT ROWID;
        CREATE INDEX contact_site_site ON contact_site(site_id);

        CREATE TABLE activity (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT,
            notes TEXT,
            region_id INTEGER REFERENCES region(id),
            minutes INTEGER,
            follow_up TEXT,
            highlight INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX activity_date ON activity(date);
        CREATE INDEX activity_region_date ON activity(region_id, date);

        CREATE TABLE activity_site (
            activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
            site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (activity_id, site_id)
        ) WITHOUT ROWID;
        CREATE INDEX activity_site_site ON activity_site(site_id);

        CREATE TABLE activity_contact (
            activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (activity_id, contact_id)
        ) WITHOUT ROWID;
        CREATE INDEX activity_contact_contact ON activity_contact(contact_id);
        """
    )


@MIGRATIONS(name="0002_report_indexes")
def m0002_report_indexes(db: sqlite_utils.Database) -> None:
    """Indexes for the quarterly report (measured in benchmarks/report.py).

    A plain ``(date)`` index is slower than a scan for a quarter of a large
    table; an index that covers the report's columns is not. It also serves
    ``activity list`` ordered by date, so the plain one goes.

    "Met for the first time" needs, per contact, the date of their first
    activity: the link table keeps a copy of the activity's date (kept in step
    by triggers) so that is one index seek instead of a walk over every link.
    """
    db.executescript(
        """
        CREATE INDEX activity_report ON activity(date, region_id, kind, minutes, highlight);
        DROP INDEX activity_date;
        CREATE INDEX activity_follow_up ON activity(follow_up, region_id, date)
            WHERE follow_up IS NOT NULL;
        CREATE INDEX contact_created ON contact(created_at);

        ALTER TABLE activity_contact ADD COLUMN date TEXT;
        UPDATE activity_contact
            SET date = (SELECT date FROM activity WHERE activity.id = activity_contact.activity_id);
        DROP INDEX activity_contact_contact;
        CREATE INDEX activity_contact_met ON activity_contact(contact_id, date);
        CREATE TRIGGER activity_contact_date AFTER INSERT ON activity_contact WHEN NEW.date IS NULL
        BEGIN
            UPDATE activity_contact SET date = (SELECT date FROM activity WHERE id = NEW.activity_id)
            WHERE activity_id = NEW.activity_id AND contact_id = NEW.contact_id;
        END;
        CREATE TRIGGER activity_date_to_contacts AFTER UPDATE OF date ON activity
        BEGIN
            UPDATE activity_contact SET date = NEW.date WHERE activity_id = NEW.id;
        END;
        """
    )


@MIGRATIONS(name="0003_import_keys")
def m0003_import_keys(db: sqlite_utils.Database) -> None:
    """Find an activity by its natural key (date, kind, title) when a CSV row has no id."""
    db.executescript(
        """
        CREATE INDEX activity_natural_key ON activity(date, kind, coalesce(title, ''));
        """
    )
