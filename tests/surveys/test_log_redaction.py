"""The shipped gunicorn configuration keeps survey link tokens out of its logs."""

import datetime as dt
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from config.redaction import RedactSurveyLinks
from surveys import tokens

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "s3cr3t-T0ken_value-that-opens-a-link-0123456789abcdefghijk"
SIGNED = tokens.signed_hash(tokens.hash_token(TOKEN))


def _gunicorn(tmp_path) -> tuple[object, Path, Path]:
    """The logger gunicorn builds from config/gunicorn.py, writing to two files."""
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "config" / "gunicorn.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    access, error = tmp_path / "access.log", tmp_path / "error.log"
    cfg.set("accesslog", str(access))
    cfg.set("errorlog", str(error))
    return cfg.logger_class(cfg), access, error


def _request(path: str, referer: str = "-"):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "phone",
    }
    req = SimpleNamespace(headers=[("REFERER", referer), ("HOST", "keel.example.com")])
    resp = SimpleNamespace(status="200 OK", sent=1234, headers=[("Content-Type", "text/html")])
    return resp, req, environ


def test_the_access_log_never_holds_a_survey_token_or_signed_hash(tmp_path):
    logger, access, _ = _gunicorn(tmp_path)
    logger.cfg.set("access_log_format", logger.cfg.access_log_format + " %(U)s %({raw_uri}e)s")
    for path, referer in (
        (f"/surveys/a/{TOKEN}/", "-"),
        (f"/surveys/a/{TOKEN}", "-"),
        (f"/surveys/a/{TOKEN}/?utm=mail", "-"),
        (f"/surveys/answer/{SIGNED}/", f"https://keel.example.com/surveys/a/{TOKEN}/"),
        ("/surveys/answered/", f"https://keel.example.com/surveys/answer/{SIGNED}/"),
    ):
        logger.access(*_request(path, referer), dt.timedelta(milliseconds=12))
    logged = access.read_text()
    assert len(logged.splitlines()) == 5
    assert TOKEN not in logged
    assert SIGNED not in logged
    assert tokens.hash_token(TOKEN) not in logged
    assert '"GET /surveys/a/<redacted>/ HTTP/1.1" 200 1234' in logged
    assert '"GET /surveys/a/<redacted>/?utm=mail HTTP/1.1"' in logged
    assert "/surveys/answer/<redacted>/" in logged
    # Everything else stays as gunicorn writes it.
    assert '"GET /surveys/answered/ HTTP/1.1" 200 1234' in logged
    assert "10.0.0.7" in logged


def test_the_error_log_never_holds_a_survey_token(tmp_path):
    logger, _, error = _gunicorn(tmp_path)
    logger.error("Error handling request %s", f"/surveys/a/{TOKEN}/")
    logger.warning(f"Invalid request from ip=10.0.0.7: /surveys/answer/{SIGNED}/")
    try:
        raise ValueError(f"bad path /surveys/a/{TOKEN}/")
    except ValueError:
        logger.exception("Error handling request /surveys/a/%s/", TOKEN)
    logged = error.read_text()
    assert "Error handling request /surveys/a/<redacted>/" in logged
    assert "ValueError: bad path /surveys/a/<redacted>/" in logged
    assert "Invalid request from ip=10.0.0.7: /surveys/answer/<redacted>/" in logged
    assert TOKEN not in logged
    assert SIGNED not in logged


def test_djangos_own_log_lines_pass_the_same_redaction():
    # A 500 on a link page logs its path ("Internal Server Error: /surveys/a/…")
    # to the stream gunicorn's error log shares.
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSurveyLinks) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", f"/surveys/a/{TOKEN}/"
        )
    finally:
        handler.setStream(previous)
    assert "Internal Server Error: /surveys/a/<redacted>/" in stream.getvalue()
    assert TOKEN not in stream.getvalue()
