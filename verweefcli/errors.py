"""Errors a user can cause. The CLI prints their message on one line and exits.

Anything else that escapes is a bug: it is reported as an internal error
(exit code 3) so that tests and users can tell the two apart.
"""

from __future__ import annotations


class VerweefError(Exception):
    """A problem the user can fix; ``str(error)`` is the whole message."""

    exit_code = 1


class UsageProblem(VerweefError):
    """The command line itself is wrong or incomplete (exit code 2)."""

    exit_code = 2


class InvalidValue(VerweefError):
    """A value (date, number, vocabulary term...) that cannot be accepted."""


class NotFound(VerweefError):
    """A reference to a record that does not exist."""


class Ambiguous(VerweefError):
    """A name that matches more than one record."""


class Conflict(VerweefError):
    """A write that would duplicate or orphan records."""


class ConfigError(VerweefError):
    """The config file cannot be read or holds unknown keys or bad values."""


class DatabaseProblem(VerweefError):
    """The database file is missing, unreadable, corrupt, read-only or too new."""
