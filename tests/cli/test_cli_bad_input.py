"""Bad input never crashes: each input that gave a traceback (exit 1) now gives exit 2 with a
clear message, Chinese first, through the installed `zhifa` as a real process (argv bytes)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import ZHIFA, env, open_office

pytestmark = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")


def zhifa(
    folder: Path, *args: str | bytes, environ: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    assert ZHIFA is not None
    argv: list[str | bytes] = [ZHIFA, "--config", str(folder / "config.yaml"), *args]
    return subprocess.run(argv, capture_output=True, text=True, errors="replace",
                          env=environ or env(), timeout=120, check=False)  # fmt: skip


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit 2, the message (Chinese first), no traceback."""
    output = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, output
    assert "Traceback" not in output
    assert message in output, output


def data_file(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "data.json"
    path.write_bytes(content)
    return str(path)


DEEP = b'{"facts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (("case", "show", b"P-\xff"), None, "第 5 个参数 argument 5 不是有效的 UTF-8 文本"),
        (("--data", b"facts=\xed\xa0\x80"), None, "不是有效的 UTF-8 文本 is not valid UTF-8 text"),
        ((), b'{"facts": "\\ud800"}', "data.json: 不是有效的 Unicode 文本 contains a lone surrogate"),
        ((), '{"facts": "事实"}'.encode("utf-16"), "是 UTF-16 编码，请存为 UTF-8"),
        ((), bytes(range(128, 256)), "不是 UTF-8 文本 not UTF-8 text"),
        ((), DEEP, "嵌套超过 20 层 nested deeper than 20 levels"),
        (("--data", "amount=1e26"), None, "罚款金额（元）（amount）：金额超出上限"),
        ((), b'{"amount": 1e26, "outcome": "penalty"}', "金额超出上限 above the largest amount"),
        ((), b'{"facts": {"who": "x"}}', "违法事实（facts）：须为文本 expected text, got JSON 对象"),
        ((), b'{"facts": ["x"]}', "须为文本 expected text, got JSON 列表"),
        ((), b'{"facts": 12}', "须为文本 expected text, got 数字 a number"),
        (("--data", "facts=" + "事" * 20_001), None, "超过 20,000 字符上限"),
        ((), b"{" + b",".join(b'"k%d": 0' % i for i in range(200_000)) + b"}",
         "超过 1 MB 上限 larger than 1,048,576 bytes"),  # refused before it is parsed
        ((), b"{" + b",".join(b'"k%d": 0' % i for i in range(20_000)) + b"}",
         "超过 10,000 个值 more than 10,000 values"),
        ((), b'{"facts": NaN}', "不是有效的 JSON not valid JSON (NaN)"),
    ],
    ids=["argv bytes", "lone surrogate argv", "lone surrogate json", "utf-16 file",
         "binary file", "nested 100k", "amount 1e26", "amount 1e26 json", "object as text",
         "list as text", "number as text", "20,001 characters", "200,000 keys",
         "20,000 keys", "NaN"],
)  # fmt: skip
def test_bad_data_is_refused_with_exit_two(
    bad_office: tuple[Path, str],
    tmp_path: Path,
    args: tuple[str | bytes, ...],
    content: bytes | None,
    message: str,
) -> None:
    folder, case_id = bad_office
    if args[:1] == ("case",):
        done = zhifa(folder, *args)
    else:
        extra: tuple[str | bytes, ...] = () if content is None else (
            "--data-file", data_file(tmp_path, content))  # fmt: skip
        done = zhifa(folder, "--as", "王明", "case", "do", case_id, "draft_decision",
                     "--data", "outcome=penalty", *args, *extra)  # fmt: skip
    refused(done, message)


def test_a_fifo_or_device_as_data_file_is_refused_at_once(
    bad_office: tuple[Path, str], tmp_path: Path
) -> None:
    folder, case_id = bad_office
    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        done = zhifa(folder, "--as", "王明", "case", "do", case_id, "draft_decision",
                     "--data-file", path)  # fmt: skip
        refused(done, "不是普通文件，拒绝读取 refused")


def test_dates_out_of_range_are_refused_everywhere(bad_office: tuple[Path, str]) -> None:
    """Before: `case open --on 0001-01-01` created P-1-0001."""
    folder, case_id = bad_office
    before = json.loads(zhifa(folder, "case", "list", "--json").stdout)["cases"]
    opening = ("--as", "王明", "case", "open", "--procedure", "penalty", "--title", "某案",
               "--party", "某公司", "--party-id", "91230200MA1B2C3D4E", "--party-address", "x",
               "--data", "source=x")  # fmt: skip
    for day in ("0001-01-01", "1949-09-30", "2027-11-25", "9999-12-31"):
        refused(zhifa(folder, *opening, "--on", day), "日期须在 1949-10-01 至 2027-11-24 之间")
    assert json.loads(zhifa(folder, "case", "list", "--json").stdout)["cases"] == before
    refused(zhifa(folder, "--as", "赵刚", "case", "do", case_id, "schedule_hearing", "--data",
                  "hearing_date=1900-01-01"), "听证日期（hearing_date）：日期须在 1949-10-01")  # fmt: skip
    refused(zhifa(folder, "--as", "管理员", "staff", "add", "甲", "--role", "officer",
                  "--cert-valid-until", "0001-01-01"), "日期须在 1949-10-01")  # fmt: skip
    refused(zhifa(folder, "case", "list", environ=env(ZHIFA_TODAY="0001-01-01")),
            "ZHIFA_TODAY 0001-01-01 is out of range")  # fmt: skip
    refused(zhifa(folder, "case", "list", environ=env(ZHIFA_USER="\udcff")), "ZHIFA_USER 不是有效")


def test_numbers_out_of_range_are_refused(bad_office: tuple[Path, str], tmp_path: Path) -> None:
    folder, case_id = bad_office
    refused(zhifa(folder, "alerts", "--within", str(10**22)), "--within 须在 0 至 250 个工作日之间")
    video = tmp_path / "v.mp4"
    video.write_bytes(b"video")
    refused(zhifa(folder, "--as", "王明", "evidence", "av", case_id, str(video), "--for",
                  str(10**30)), "所记录的执法行为（办案记录序号）（for_seq）：数值超出范围")  # fmt: skip


def test_output_paths_that_cannot_be_written_are_refused(
    bad_office: tuple[Path, str], tmp_path: Path
) -> None:
    folder, case_id = bad_office
    refused(zhifa(folder, "notice", "export", case_id, "--format", "txt", "--out", "/proc/x"),
            "无法读写文件 cannot read or write /proc/x")  # fmt: skip
    refused(zhifa(folder, "report", "annual", "2026", "--html", "/proc/x.html"), "无法读写文件")
    refused(zhifa(folder, "report", "annual", "2026", "--html", str(tmp_path / "no" / "x.html")),
            "上级文件夹不存在 folder")  # fmt: skip
    refused(zhifa(folder, "publish", "site", "--out", "/proc/site"), "无法写入公示网站")
    refused(zhifa(folder, "publish", "site", "--out", str(tmp_path / "no" / "site")),
            "上级文件夹不存在")  # fmt: skip


def test_a_report_is_recorded_only_after_its_page_is_written(
    bad_office: tuple[Path, str], tmp_path: Path
) -> None:
    """Before: `report annual --publish --html PATH` recorded the publication, then failed."""
    folder, _ = bad_office
    refused(zhifa(folder, "--as", "刘洋", "report", "annual", "2026", "--publish", "--html",
                  "/proc/2026.html"), "无法读写文件")  # fmt: skip
    office = open_office(folder)
    assert office.reports() == {}  # nothing recorded
    page = tmp_path / "2026.html"
    done = zhifa(folder, "--as", "刘洋", "report", "annual", "2026", "--publish", "--html",
                 str(page))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2026年度执法统计年报" in page.read_text(encoding="utf-8")
    assert set(office.reports()) == {2026}
    office.store.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(128, 256)) * 4, "不是 UTF-8 文本 is not UTF-8 text"),
        (b"a: &x [1]\nb: *x\n", "aliases (*name) are not allowed"),
        (b"a: " + b"[" * 100_000, "嵌套过深 nested too deep"),
        (b"x" * (2 << 20), "超过 1 MB 上限"),
    ],
    ids=["binary", "alias", "nested", "2 MB"],
)
def test_a_bad_config_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_bytes(content)
    refused(zhifa(tmp_path, "case", "list"), message)
