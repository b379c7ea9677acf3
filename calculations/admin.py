"""Runs are not registered in the admin: a run is an audit record, immutable once saved, read on the
run pages and through the API (`/runs/`, `/api/runs`). The methodology's admin is in methodology/admin.py."""
