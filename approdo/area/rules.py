"""The area's time rules, in one place for the services, the queries and the pages."""

from datetime import timedelta

LINK_VALIDITY = timedelta(minutes=15)
IDLE_LIMIT = timedelta(minutes=15)
# An appointment is moved or cancelled from the area at least this long before it.
CHANGE_NOTICE = timedelta(hours=24)
# A copy of one's data stays downloadable this long.
DOWNLOAD_KEPT = timedelta(days=7)
