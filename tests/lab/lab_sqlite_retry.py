"""VdcPS lab: a locked SQLite database is retried like a MySQL deadlock.

The lab keeps Nova and Placement in SQLite files (WAL mode). oslo.db opens every transaction with
a deferred BEGIN, so a transaction that read first and then writes cannot take the write lock when
another process committed in between: SQLite answers "database is locked" at once (SQLITE_BUSY;
waiting does not help, the snapshot is stale). On MySQL the same race is a deadlock (1213), which
oslo.db turns into DBDeadlock, and Nova retries the whole transaction wherever it is decorated with
wrap_db_retry(retry_on_deadlock=True): instance updates (shelve, stop, lock...), instance creation,
instance actions and their events, service reports. This module makes oslo.db classify SQLite's
"database is locked" the same way, so those code paths retry instead of answering HTTP 500.
Nothing else changes: a path Nova does not retry still fails, as it would on MySQL.

Imported by the lab's nova-conductor/-scheduler/-compute scripts and by the nova-api and
placement-api uwsgi apps (tests/lab/lab.sh); never by anything the tests or VdcPS run.
"""
import sqlalchemy.exc as sqla_exc
from oslo_db import exception
from oslo_db.sqlalchemy import exc_filters


@exc_filters.filters("sqlite", sqla_exc.OperationalError, r".*database is locked")
def _sqlite_locked_is_deadlock(operational_error, match, engine_name, is_disconnect):
    raise exception.DBDeadlock(operational_error)
