"""The installed `zhifa` fed arbitrary argv bytes and data files: every run ends with a known
exit code and no traceback, and the office still verifies afterwards."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.conftest import ZHIFA, env

pytestmark = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")

#: each example starts a process (~0.5 s): a few dozen here, more in CI, minutes never
EXAMPLES = int(os.environ.get("ZHIFA_FUZZ_EXAMPLES", 0)) or (
    100 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 30
)

WORDS = [b"case", b"do", b"open", b"show", b"list", b"actions", b"history", b"replay", b"file",
         b"verify", b"staff", b"add", b"alerts", b"--within", b"notice", b"export", b"--out",
         b"--format", b"txt", b"archive", b"publish", b"site", b"report", b"annual", b"--html",
         b"evidence", b"av", b"--for", b"--json", b"--on", b"--data", b"--note", b"--until",
         b"--procedure", b"penalty", b"draft_decision", b"add_evidence", b"assign", b"2026-08-05",
         b"0001-01-01", b"facts=x", b"amount=1e26", b"outcome=penalty", b"/proc/x", b"/dev/zero",
         "王明".encode(), "赵刚".encode(), b"\xff\xfe", b"\xed\xa0\x80", b"-1", b"10" * 12]  # fmt: skip
CASE = b"@CASE@"  # replaced by the fixture's case id
argv_item = st.one_of(
    st.sampled_from([*WORDS, CASE]),
    st.binary(max_size=12).map(lambda b: b.replace(b"\x00", b"")),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),  # fmt: skip
    max_leaves=12,
)
#: `--data KEY=VALUE` with arbitrary bytes as the value, for an act that parses
data_pair = st.tuples(
    st.sampled_from([b"facts", b"amount", b"outcome", b"penalty_kind", b"basis", b"triggers",
                     b"confiscation", b"note", b"x"]),
    st.binary(max_size=16).map(lambda b: b.replace(b"\x00", b"")),
).map(lambda kv: [b"--data", kv[0] + b"=" + kv[1]])  # fmt: skip
data_file = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(
        st.sampled_from(["facts", "amount", "outcome", "basis", "x", "type", "title", "note"]),
        json_value,
        max_size=5,
    ).map(lambda d: json.dumps(d).encode()),  # fmt: skip
    json_value.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(['{"facts": "事实"}'.encode("utf-16"), b"[" * 5000, b'{"amount": 1e400}']),
)


def test_any_argv_and_data_file_ends_well_and_the_office_verifies(
    bad_office: tuple[Path, str], tmp_path: Path
) -> None:
    folder, case_id = bad_office
    config = str(folder / "config.yaml").encode()
    data_path = tmp_path / "data.json"

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(st.booleans(), st.lists(argv_item, max_size=8), st.lists(data_pair, max_size=4),
           st.none() | data_file)  # fmt: skip
    def run(
        as_officer: bool, args: list[bytes], pairs: list[list[bytes]], data: bytes | None
    ) -> None:
        argv = [case_id.encode() if a == CASE else a for a in args]
        if pairs or data is not None:  # an act that parses, with arbitrary keys and files
            argv = [b"case", b"do", case_id.encode(), b"draft_decision"]
            argv += [item for pair in pairs for item in pair]
        if data is not None:
            data_path.write_bytes(data)
            argv += [b"--data-file", str(data_path).encode()]
        if as_officer:
            argv = [b"--as", "王明".encode(), *argv]
        assert ZHIFA is not None
        done = subprocess.run([ZHIFA.encode(), b"--config", config, *argv], capture_output=True,
                              env=env(), timeout=120, check=False, cwd=tmp_path)  # fmt: skip
        output = done.stdout + done.stderr
        assert done.returncode in (0, 2, 3, 4, 5), (argv, done.returncode, output[-2000:])
        assert b"Traceback" not in output, (argv, output[-2000:])

    run()
    assert ZHIFA is not None
    verified = subprocess.run([ZHIFA, "--config", config.decode(), "verify", "--json"],
                              capture_output=True, text=True, env=env(), timeout=120,
                              check=False)  # fmt: skip
    assert verified.returncode == 0, verified.stdout
    doc = json.loads(verified.stdout)
    assert (doc["ok"], doc["problems"]) == (True, [])
