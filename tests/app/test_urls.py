"""row_url gives the same links as url_for, under a mount point too."""

from __future__ import annotations

import pytest
from flask import url_for

from crm.urls import row_url


@pytest.mark.parametrize("script_root", ["", "/crm"])
def test_row_links_match_url_for(app, script_root):
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        for endpoint, name in [
            ("contacts.show", "contact_id"),
            ("followups.done", "followup_id"),
            ("sync.followup_ics", "followup_id"),
        ]:
            for value in (1, 42, 918273645, 2**31 - 1):
                assert row_url(endpoint, name, value) == url_for(endpoint, **{name: value})
        assert row_url("contacts.show", "contact_id", 7).startswith(f"{script_root}/contacts/")
