"""Roles and passwords: only hashes are kept; viewers may be shut out; logins slow down."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from access import passwords as auth
from cli import main
from paths import ROOT


def test_set_password_keeps_only_an_argon2_hash():
    path = auth.set_password("editor", "correct horse")
    text = path.read_text(encoding="utf-8")
    assert "correct horse" not in text and "$argon2" in text
    assert auth.verify("editor", "correct horse")
    assert not auth.verify("editor", "wrong horse")
    assert not auth.verify("viewer", "correct horse")


def test_setting_a_password_leaves_the_rest_of_the_secrets_file_as_written():
    """Comments, the operations settings' lists and the other role's hash stay as they were."""
    from paths import secrets_path

    path = secrets_path()
    path.write_text('# 运维设置\n[operations]\ntrusted_proxies = ["127.0.0.1", "::1"]  # nginx\n\n'
                    '[auth]\nviewer_password_hash = "v"\neditor_password_hash = "old"\n', encoding="utf-8")
    auth.set_password("editor", "correct horse")
    auth.set_password("editor", "battery staple")  # again: the line is replaced, not added
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# 运维设置\n[operations]\ntrusted_proxies = ["127.0.0.1", "::1"]  # nginx\n')
    assert 'viewer_password_hash = "v"' in text and text.count("editor_password_hash") == 1
    assert auth.verify("editor", "battery staple") and not auth.verify("editor", "correct horse")


def test_environment_hash_wins_over_the_file(monkeypatch):
    auth.set_password("editor", "from the file")
    monkeypatch.setenv("FAZHI_EDITOR_PASSWORD_HASH", auth.hash_password("from the env"))
    assert auth.verify("editor", "from the env") and not auth.verify("editor", "from the file")


def test_first_start_generates_an_editor_password_once():
    first = auth.ensure_editor_password()
    assert first and auth.verify("editor", first)
    assert auth.ensure_editor_password() is None
    assert first not in auth.secrets_path().read_text(encoding="utf-8")


def test_short_passwords_are_refused():
    with pytest.raises(ValueError, match="至少 8 个字符"):
        auth.set_password("editor", "short")


@pytest.mark.parametrize("failures, expected", [(0, 0.0), (1, 0.5), (2, 1.0), (4, 4.0), (10, 8.0)])
def test_login_delay_doubles_up_to_a_cap(failures, expected):
    assert auth.login_delay(failures) == expected


def test_cli_set_password_from_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["set-password", "--role", "viewer", "--stdin"]) == 0
    assert auth.verify("viewer", "a long password")
    assert "a long password" not in capsys.readouterr().out


def test_viewer_password_closes_the_whole_app(small_db_path):
    auth.set_password("viewer", "viewer password")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["法治政府建设指标看板"]
    at.text_input[0].input("wrong password")
    at.button[0].click().run()
    assert any("密码不正确" in e.value for e in at.error)
    at.text_input[0].input("viewer password")
    at.button[0].click().run()
    assert not at.exception
    assert not any("密码不正确" in e.value for e in at.error)
