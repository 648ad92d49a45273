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


@MIGRATIONS(name="0004_derived_facts")
def m0004_derived_facts(db: sqlite_utils.Database) -> None:
    """Derived facts get one owner each (see ``verweefcli.domain.stages`` and ``regions.coach_status``).

    - ``stage_change`` holds the stage changes people recorded (the first one is
      the site's identification); ``site_stage`` becomes the history derived from
      them and the site's visits, recomputed after the upgrade. Entries that a
      visit had written are not copied: the visits are still there.
    - A contact's ``recorded_on`` is the local day it was recorded (``created_at``
      is a UTC time stamp, which put contacts added after midnight in Belgium on
      the previous day).
    - A coach's status is derived from the dates where there are dates: an
      ``ended`` status without a past ``ends_on`` gets the day it was set as its end.
    - A site link keeps a copy of its activity's date and kind (as contact links
      keep the date), so that a site's first activity and its visits in date order
      are index reads, not a walk over its activities (recomputing the stages of
      50,000 sites after an import of 200,000 activities: 2.8 s -> 0.5 s). Writes
      give links their copies; a trigger keeps them when an activity changes.
    - An activity without id or uuid in a CSV file is matched on all its fields,
      through the report's index (date, region, kind): the natural key's index goes.
    - Indexes for what lists filter on: an activity's tags (folded, in
      ``activity_tag``, written with the activity) and follow-ups per region.
    """
    db.executescript(
        """
        CREATE TABLE stage_change (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            since TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX stage_change_site ON stage_change(site_id, since);
        INSERT INTO stage_change (site_id, stage, since, recorded_at)
            SELECT site_id, stage, since, recorded_at FROM site_stage WHERE activity_id IS NULL
            ORDER BY site_id, id;
        INSERT INTO stage_change (site_id, stage, since, recorded_at)
            SELECT id, 'identified', coalesce(date(created_at, 'localtime'), date('now', 'localtime')), created_at
            FROM site
            WHERE id NOT IN (SELECT site_id FROM stage_change);

        DROP TABLE site_stage;
        CREATE TABLE site_stage (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            since TEXT NOT NULL,
            -- the visit that moved the site to 'visited' (derived, like the whole table)
            activity_id INTEGER
        );
        CREATE INDEX site_stage_site ON site_stage(site_id, since);
        CREATE INDEX site_stage_since ON site_stage(since);

        ALTER TABLE activity_site ADD COLUMN date TEXT;
        ALTER TABLE activity_site ADD COLUMN kind TEXT;
        UPDATE activity_site SET (date, kind) = (SELECT date, kind FROM activity WHERE id = activity_id);
        DROP INDEX activity_site_site;
        CREATE INDEX activity_site_site ON activity_site(site_id, date);
        CREATE INDEX activity_site_visit ON activity_site(site_id, date) WHERE kind = 'visit';
        -- every write path gives a link its activity's date and kind (and db check compares them):
        -- a trigger per inserted link cost a bulk import 1 s per million links
        DROP TRIGGER activity_contact_date;
        DROP TRIGGER activity_date_to_contacts;
        CREATE TRIGGER activity_to_links AFTER UPDATE OF date, kind ON activity
        BEGIN
            UPDATE activity_contact SET date = NEW.date WHERE activity_id = NEW.id AND date IS NOT NEW.date;
            UPDATE activity_site SET date = NEW.date, kind = NEW.kind WHERE activity_id = NEW.id;
        END;

        DROP INDEX activity_natural_key;
        CREATE TABLE activity_tag (
            activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,  -- folded: case and accents do not count
            PRIMARY KEY (activity_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX activity_tag_tag ON activity_tag(tag, activity_id);
        INSERT OR IGNORE INTO activity_tag (activity_id, tag)
            SELECT a.id, verweef_fold(j.value) FROM activity a, json_each(a.tags) j WHERE a.tags != '[]';
        CREATE INDEX activity_region_follow_up ON activity(region_id, follow_up) WHERE follow_up IS NOT NULL;

        ALTER TABLE contact ADD COLUMN recorded_on TEXT;
        UPDATE contact SET recorded_on = coalesce(date(created_at, 'localtime'), date('now', 'localtime'));
        DROP INDEX contact_created;
        CREATE INDEX contact_recorded ON contact(recorded_on);

        UPDATE region SET ends_on = max(appointed_on, date(updated_at, 'localtime'))
            WHERE coach_status = 'ended' AND appointed_on IS NOT NULL
              AND (ends_on IS NULL OR ends_on > date(updated_at, 'localtime'));
        UPDATE region SET coach_status = 'appointed' WHERE appointed_on IS NOT NULL;
        """
    )


@MIGRATIONS(name="0005_follow_ups_and_search")
def m0005_follow_ups_and_search(db: sqlite_utils.Database) -> None:
    """Follow-ups that can be done, and one full-text index per record table.

    - A follow-up gets its note (what was promised), the day it was done and a
      note on how: done is kept, not deleted. The follow-up indexes cover the day
      it was done, so "open as of a day" is read from the index.
    - ``site_fts``, ``contact_fts`` and ``activity_fts`` (FTS5, rowid = the
      record's id) hold the text people search, derived from the records by
      :mod:`verweefcli.domain.search_index`: an activity's row also holds the names
      of its sites and contacts. Not external-content tables: a row is replaced by
      its id alone, whatever its old text was. Filled after the upgrade by the
      owner of the rule (``RULES_CHANGED``), as every derived fact is.
    """
    db.executescript(
        """
        ALTER TABLE activity ADD COLUMN follow_up_note TEXT;
        ALTER TABLE activity ADD COLUMN follow_up_done TEXT;
        ALTER TABLE activity ADD COLUMN follow_up_done_notes TEXT;
        DROP INDEX activity_follow_up;
        CREATE INDEX activity_follow_up ON activity(follow_up, region_id, date, follow_up_done)
            WHERE follow_up IS NOT NULL;
        DROP INDEX activity_region_follow_up;
        CREATE INDEX activity_region_follow_up ON activity(region_id, follow_up, date, follow_up_done)
            WHERE follow_up IS NOT NULL;

        CREATE VIRTUAL TABLE site_fts USING fts5(
            name, municipality, address, owner, zoning, rup, kind, notes, tags, also,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE contact_fts USING fts5(
            name, organisation, role, email, notes, also,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE activity_fts USING fts5(
            title, notes, follow_up_note, follow_up_done_notes, tags, sites, contacts, also,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )


@MIGRATIONS(name="0006_companies_requests_nuisance")
def m0006_companies_requests_nuisance(db: sqlite_utils.Database) -> None:
    """Companies, their requests, and nuisance cases with their measures, as records of their own.

    - ``company``: an enterprise number (``0123.456.789``, checked mod 97, unique),
      NACE codes, sector, staff, the site it is on, the contacts who work there
      (``company_contact``). A contact's ``organisation`` text stays as it was.
    - ``request``: what a company asked for, its type and site; the stages it went
      through are recorded in ``request_move`` (dated); its current ``stage`` and
      ``closed_on`` are derived from them by one owner
      (:mod:`verweefcli.domain.requests`). Its region is read, not stored: its
      site's, else its company's. An activity may be work on a request
      (``activity.request_id``).
    - ``nuisance``: a case at a site (and of a company), its types, who reported
      it, severity, timing and frequency; ``measure``: what the coach proposed
      against it, whose status changes are recorded in ``measure_move``; a
      measure's current status and effect are derived from them the same way. A
      case is open until it is closed with a result; its region is its site's.
    - ``company_fts``, ``request_fts`` and ``nuisance_fts``: the search index of
      the new records, kept as the others are (a case's row also holds its measures).
    """
    db.executescript(
        """
        CREATE TABLE company (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            enterprise_number TEXT,
            nace TEXT NOT NULL DEFAULT '[]',
            sector TEXT,
            staff INTEGER,
            site_id INTEGER REFERENCES site(id) ON DELETE SET NULL,
            address TEXT,
            region_id INTEGER REFERENCES region(id),
            tags TEXT NOT NULL DEFAULT '[]',
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX company_enterprise_number ON company(enterprise_number)
            WHERE enterprise_number IS NOT NULL;
        CREATE INDEX company_name ON company(name_key);
        CREATE INDEX company_site ON company(site_id);
        CREATE INDEX company_region ON company(region_id);

        CREATE TABLE company_contact (
            company_id INTEGER NOT NULL REFERENCES company(id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
            PRIMARY KEY (company_id, contact_id)
        ) WITHOUT ROWID;
        CREATE INDEX company_contact_contact ON company_contact(contact_id);
        -- contacts whose organisation names a company (see domain.companies.link_by_organisation)
        CREATE INDEX contact_organisation ON contact(organisation_key);

        CREATE TABLE request (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            company_id INTEGER NOT NULL REFERENCES company(id),
            type TEXT NOT NULL,
            site_id INTEGER REFERENCES site(id) ON DELETE SET NULL,
            received_on TEXT NOT NULL,
            space_m2 REAL,
            notes TEXT,
            follow_up TEXT,
            outcome TEXT,
            outcome_site_id INTEGER REFERENCES site(id) ON DELETE SET NULL,
            stage TEXT NOT NULL DEFAULT 'received',
            closed_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX request_company ON request(company_id, received_on);
        CREATE INDEX request_received ON request(received_on);
        CREATE INDEX request_site ON request(site_id) WHERE site_id IS NOT NULL;
        CREATE INDEX request_outcome_site ON request(outcome_site_id) WHERE outcome_site_id IS NOT NULL;
        CREATE TABLE request_move (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES request(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            date TEXT NOT NULL,
            outcome TEXT,  -- a move to closed: how it ended then (a past quarter's report reads it)
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX request_move_request ON request_move(request_id, date);

        ALTER TABLE activity ADD COLUMN request_id INTEGER REFERENCES request(id) ON DELETE SET NULL;
        CREATE INDEX activity_request ON activity(request_id) WHERE request_id IS NOT NULL;

        CREATE TABLE nuisance (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            site_id INTEGER NOT NULL REFERENCES site(id),
            company_id INTEGER REFERENCES company(id) ON DELETE SET NULL,
            types TEXT NOT NULL DEFAULT '[]',
            reported_by INTEGER REFERENCES contact(id) ON DELETE SET NULL,
            reported_on TEXT NOT NULL,
            severity INTEGER CHECK (severity BETWEEN 1 AND 5),
            timing TEXT NOT NULL DEFAULT '[]',
            frequency TEXT,
            notes TEXT,
            follow_up TEXT,
            result TEXT,
            closed_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX nuisance_site ON nuisance(site_id, reported_on);
        CREATE INDEX nuisance_company ON nuisance(company_id) WHERE company_id IS NOT NULL;
        CREATE INDEX nuisance_reported ON nuisance(reported_on);

        CREATE TABLE measure (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            nuisance_id INTEGER NOT NULL REFERENCES nuisance(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            owner TEXT,
            due TEXT,
            cost_eur REAL,
            notes TEXT,
            status TEXT NOT NULL DEFAULT 'proposed',
            effect TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX measure_nuisance ON measure(nuisance_id);
        CREATE TABLE measure_move (
            id INTEGER PRIMARY KEY,
            measure_id INTEGER NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            date TEXT NOT NULL,
            effect TEXT,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX measure_move_measure ON measure_move(measure_id, date);

        CREATE VIRTUAL TABLE company_fts USING fts5(
            name, enterprise_number, sector, nace, address, notes, tags, also,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE request_fts USING fts5(
            company, type, site, notes, outcome, also,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE nuisance_fts USING fts5(
            site, company, types, notes, measures, also,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )


@MIGRATIONS(name="0007_tombstones_and_merges")
def m0007_tombstones_and_merges(db: sqlite_utils.Database) -> None:
    """What was removed, by uuid, and what merges did: the programme view merges the coaches' files.

    ``tombstone`` holds the uuid of every record removed from now on, its kind and
    when (UTC): the records themselves go, with everything about them, and a merge
    does not bring them back. ``meta`` gives the file an identity; ``merge_seen``
    remembers, per file merged in, when each side had last changed each record
    (a record changed on one side only takes that change); ``merge_log`` keeps the
    conflicts and what was kept.
    """
    db.executescript(
        """
        CREATE TABLE tombstone (
            uuid TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            removed_at TEXT NOT NULL
        ) WITHOUT ROWID;
        -- the cases a person reported: found for a subject access request, and let go when they are forgotten
        CREATE INDEX nuisance_reporter ON nuisance(reported_by) WHERE reported_by IS NOT NULL;

        -- this file's identity, so that another file can tell what it merged from it before
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('database_uuid', lower(hex(randomblob(16))));
        -- per file merged in and record: when each side had last changed it at that merge
        CREATE TABLE merge_seen (
            source TEXT NOT NULL,
            uuid TEXT NOT NULL,
            ours_at TEXT NOT NULL,
            theirs_at TEXT NOT NULL,
            PRIMARY KEY (source, uuid)
        ) WITHOUT ROWID;
        -- what every merge did that people may want to check: conflicts (both values), records kept
        CREATE TABLE merge_log (
            id INTEGER PRIMARY KEY,
            merged_at TEXT NOT NULL,
            source TEXT NOT NULL,
            source_path TEXT NOT NULL,
            kind TEXT NOT NULL,
            uuid TEXT NOT NULL,
            what TEXT NOT NULL,
            ours TEXT,
            theirs TEXT
        );
        """
    )


@MIGRATIONS(name="0008_search_backlog")
def m0008_search_backlog(db: sqlite_utils.Database) -> None:
    """The search index rows a bulk import leaves for later.

    Indexing a big import's activities took as long as the rest of the import
    (1.6 s of 6.5 s for 200,000 rows; 11 of 28 s for a million). A bulk import
    now records the range of ids it wrote (``search_backlog``), in its own
    transaction, and the first search after it (``verweef search``, a list's
    ``--search``, ``web``; or ``db check --repair``) writes those rows before it
    reads the index: no search ever misses a record.
    """
    db.executescript(
        """
        CREATE TABLE search_backlog (
            tbl TEXT NOT NULL,
            first_id INTEGER NOT NULL,
            last_id INTEGER NOT NULL,
            PRIMARY KEY (tbl, first_id)
        ) WITHOUT ROWID;
        """
    )
