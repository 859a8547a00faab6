"""The bookmarklet's readable source packed into one javascript: link."""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import unquote

import pytest

from crm.contacts.bookmarklet import bookmarklet_href, minify

ADDRESS = "https://crm.example.org/contacts/capture"


def test_minify_drops_comment_lines_and_spaces_but_keeps_strings_whole() -> None:
    source = '// why\n(function () {\n  var a = "x , y  = z";  \n  f( a , "it\\"s" );\n})()\n'
    assert minify(source) == '(function(){var a="x , y  = z";f(a,"it\\"s");})()'


def test_the_link_carries_the_address_and_no_raw_spaces_quotes_or_percent() -> None:
    href = bookmarklet_href(ADDRESS)
    assert href.startswith("javascript:(function(){")
    body = href.removeprefix("javascript:")
    assert not set(body) & set(' "<>\n'), "characters a link must not carry unencoded"
    code = unquote(body)
    assert f'window.open("{ADDRESS}"+"?"+query,"_blank","noopener")' in code
    assert "CAPTURE_ADDRESS" not in code and "//" not in code.replace("https://", "")


def test_an_address_with_odd_characters_stays_one_string() -> None:
    code = unquote(bookmarklet_href('https://x.example/a"b%20c/contacts/capture'))
    assert '"https://x.example/a\\"b%20c/contacts/capture"' in code


def test_the_link_is_short_enough_for_every_browser_bookmark() -> None:
    assert len(bookmarklet_href(ADDRESS)) < 2000


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js checks the syntax when present")
def test_the_packed_script_is_valid_javascript(tmp_path) -> None:
    script = tmp_path / "bookmarklet.js"
    script.write_text(unquote(bookmarklet_href(ADDRESS).removeprefix("javascript:")))
    subprocess.run(["node", "--check", str(script)], check=True)
