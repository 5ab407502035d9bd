"""Keys, the signed register, back-dating, checkpoints and signed bundles from the terminal."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from typer.testing import CliRunner

from cli import app
from tests.cli.conftest import Invoke
from tests.cli.test_cli import open_case

FACTS = ("--data", "source=举报", "--data", "violation=虚报", "--data", "violation_on=2026-10-01",
         "--data", "discovered_on=2026-10-30")


def test_key_init_makes_an_owner_only_key_and_lists_it(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    result = runner.invoke(app, ["key", "init", "王明", "--json"], env={"ZHIFA_KEYS": str(folder)})
    assert result.exit_code == 0, result.output
    key = json.loads(result.stdout)["key"]
    assert key["public_key"].startswith("ed25519:")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert b"PRIVATE KEY" in Path(key["path"]).read_bytes()
    listed = json.loads(runner.invoke(app, ["key", "list", "--json"],
                                      env={"ZHIFA_KEYS": str(folder)}).stdout)  # fmt: skip
    assert [k["id"] for k in listed["keys"]] == [key["id"]]
    assert "PRIVATE" not in json.dumps(listed)
    shown = runner.invoke(app, ["key", "show", "王明"], env={"ZHIFA_KEYS": str(folder)})
    assert shown.stdout.strip() == key["public_key"]  # what `staff add --key "$(…)"` takes
    assert runner.invoke(app, ["key", "show", "李华"], env={"ZHIFA_KEYS": str(folder)}).exit_code == 2


def test_another_persons_name_is_refused_without_their_key(
    zhifa: Invoke, runner: CliRunner, office_dir: Path, tmp_path: Path
) -> None:
    """Before: `ZHIFA_USER=管理员 zhifa staff add X --role admin` worked for anyone."""
    mine = tmp_path / "my-keys"  # a clerk's own folder: only their own key
    runner.invoke(app, ["key", "init", "王明"], env={"ZHIFA_KEYS": str(mine)})
    config = str(office_dir / "config.yaml")
    for argv in (["staff", "add", "我自己", "--role", "admin", "--json"],
                 ["staff", "deactivate", "管理员"]):  # fmt: skip
        result = runner.invoke(app, ["--config", config, *argv],
                               env={"ZHIFA_KEYS": str(mine), "ZHIFA_USER": "管理员"})  # fmt: skip
        assert result.exit_code == 3, result.output
    code, doc = zhifa("staff", "list", "--json")
    assert "我自己" not in {p["name"] for p in doc["staff"]}
    result = runner.invoke(app, ["--config", config, "--as", "王明", "case", "open", "--procedure",
                                 "penalty", "--title", "案", "--party", "某公司", "--data",
                                 "source=举报", "--json"],
                           env={"ZHIFA_KEYS": str(mine)})  # fmt: skip
    assert result.exit_code == 3
    assert "no_key" in {r["code"] for r in json.loads(result.stdout)["error"]["reasons"]}


def test_a_passphrase_protected_key(runner: CliRunner, office_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "guarded"
    made = runner.invoke(app, ["key", "init", "吴敏", "--passphrase", "--json"],
                         env={"ZHIFA_KEYS": str(folder), "ZHIFA_PASSPHRASE": "正确口令"})  # fmt: skip
    assert made.exit_code == 0, made.output
    public = json.loads(made.stdout)["key"]["public_key"]
    assert b"ENCRYPTED" in next(folder.glob("*.key")).read_bytes()
    config = str(office_dir / "config.yaml")
    done = runner.invoke(app, ["--config", config, "--as", "管理员", "staff", "key", "吴敏", public])
    assert done.exit_code == 0, done.output
    argv = ["--config", config, "--as", "吴敏", "checkpoint", "--out", str(tmp_path / "cp.json")]
    wrong = runner.invoke(app, argv, env={"ZHIFA_KEYS": str(folder), "ZHIFA_PASSPHRASE": "错的"})
    assert wrong.exit_code == 2
    assert "wrong passphrase" in wrong.output
    right = runner.invoke(app, argv, env={"ZHIFA_KEYS": str(folder), "ZHIFA_PASSPHRASE": "正确口令"})
    assert right.exit_code == 0, right.output


def test_a_staff_career_is_a_signed_history(zhifa: Invoke) -> None:
    steps: list[tuple[str, ...]] = [
        ("staff", "renew", "王明", "--cert", "铁审执02001", "--cert-valid-until", "2031-12-31"),
        ("staff", "role", "add", "王明", "hearing_officer"),
        ("staff", "unit", "王明", "法规审理科"),
        ("staff", "role", "remove", "王明", "hearing_officer"),
        ("staff", "deactivate", "王明"),
        ("staff", "activate", "王明"),
    ]
    for argv in steps:
        code, out = zhifa(*argv, actor="管理员")
        assert code == 0, (argv, out)
    code, out = zhifa("staff", "renew", "王明", "--cert", "x", "--cert-valid-until", "2030-01-01",
                      actor="李华")  # fmt: skip
    assert code == 3  # only an admin
    code, doc = zhifa("staff", "history", "王明", "--json")
    assert [e["action"] for e in doc["history"]] == [
        "staff_add", "staff_renew", "staff_role_add", "staff_unit", "staff_role_remove",
        "staff_deactivate", "staff_activate"]  # fmt: skip
    assert {e["by"] for e in doc["history"]} == {"管理员"}
    code, doc = zhifa("staff", "list", "--json")
    me = next(p for p in doc["staff"] if p["name"] == "王明")
    assert (me["cert_no"], me["unit"], me["roles"]) == ("铁审执02001", "法规审理科", ["officer"])
    code, out = zhifa("staff", "deactivate", "管理员", actor="管理员")
    assert code == 3
    assert "最后一名在岗管理员" in out
    code, _ = zhifa("verify")
    assert code == 0


def test_an_act_dated_far_back_needs_a_heads_approval(zhifa: Invoke, office_dir: Path) -> None:
    config = office_dir / "config.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["periods"]["backdate_working_days"] = 5
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    code, doc = zhifa("case", "open", "--procedure", "penalty", "--title", "案", "--party", "某公司",
                      "--party-id", "91230200MA1B2C3D4E", "--party-address", "铁锋区工业路88号",
                      "--on", "2026-11-02", *FACTS, "--json", actor="王明")  # fmt: skip
    assert code == 3
    assert [r["code"] for r in doc["error"]["reasons"]] == ["backdate_needs_approval"]
    code, out = zhifa("backdate", "approve", "new", "open", "--on", "2026-11-02", "--for", "王明",
                      "--reason", "系统停机，事后补录", actor="赵刚")  # fmt: skip
    assert code == 0, out
    code, doc = zhifa("case", "open", "--procedure", "penalty", "--title", "案", "--party", "某公司",
                      "--party-id", "91230200MA1B2C3D4E", "--party-address", "铁锋区工业路88号",
                      "--on", "2026-11-02", *FACTS, "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    code, doc = zhifa("case", "history", doc["case"]["id"], "--json")
    assert doc["events"][0]["data"]["backdate_approval"]["by"] == "赵刚"


def _drop_triggers_and_delete(office_dir: Path, case_id: str) -> None:
    engine = sa.create_engine(f"sqlite:///{office_dir / 'zhifa.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER events_append_only_delete"))
        conn.execute(sa.text("DELETE FROM events WHERE case_id = :c"), {"c": case_id})
        conn.execute(sa.text("DELETE FROM cases WHERE id = :c"), {"c": case_id})
    engine.dispose()


def test_checkpoint_then_a_deleted_case_is_found(
    zhifa: Invoke, office_dir: Path, tmp_path: Path
) -> None:
    case_id = open_case(zhifa)
    out = tmp_path / "检查点.json"
    code, doc = zhifa("checkpoint", "--out", str(out), "--json", actor="吴敏")
    assert code == 0, doc
    assert (doc["size"], doc["taken_by"]) == (2, "吴敏")  # the case and the register
    code, doc = zhifa("verify", "--against", str(out), "--json")
    assert (code, doc["ok"]) == (0, True)
    code, doc = zhifa("report", "annual", "2026", "--json")
    assert doc["report"]["checkpoint"]["root"] == json.loads(out.read_text())["statement"]["root"]
    _drop_triggers_and_delete(office_dir, case_id)
    code, doc = zhifa("verify", "--against", str(out), "--json")
    assert code == 5
    assert {"case": case_id, "seq": 1, "problem": "整案被删除 deleted: the checkpoint has this case "
            "up to event #1; it is no longer recorded"} in doc["problems"]
    code, doc = zhifa("verify", "--against", str(tmp_path), "--json")
    assert code == 2  # not a checkpoint file


def _archived(zhifa: Invoke) -> str:
    case_id = open_case(zhifa)
    for actor, action, data in (("赵刚", "withdraw", ("reason=不属本机关管辖",)), ("王明", "archive", ())):
        argv: list[str] = ["case", "do", case_id, action, "--on", "2026-03-04"]
        for item in data:
            argv += ["--data", item]
        code, out = zhifa(*argv, actor=actor)
        assert code == 0, out
    return case_id


def test_a_bundle_tied_to_a_checkpoint(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = _archived(zhifa)
    cp = tmp_path / "cp.json"
    assert zhifa("checkpoint", "--out", str(cp), actor="吴敏")[0] == 0
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path), "--no-pdf",
                      "--checkpoint", str(cp), "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    bundle = Path(doc["file"])
    code, doc = zhifa("archive", "verify", str(bundle), "--json")
    assert (code, doc["problems"]) == (0, [])
    members = {n: zipfile.ZipFile(bundle).read(n) for n in zipfile.ZipFile(bundle).namelist()}
    assert {"manifest.sig", "register.jsonl", "checkpoint.json"} <= set(members)
    proof: dict[str, Any] = json.loads(members["checkpoint.json"])
    proof["leaf"][2] = "0" * 64  # a head the office never committed to
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, json.dumps(proof).encode() if name == "checkpoint.json" else data)
    code, doc = zhifa("archive", "verify", str(forged), "--json")
    assert code == 5
    assert any(p.startswith("checkpoint.json: 本案不在检查点的树中") for p in doc["problems"])
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path), "--no-pdf", "--json")
    assert code == 2  # who signs the manifest? (--as)


def test_a_bundle_checked_against_the_offices_trust_root(
    zhifa: Invoke, runner: CliRunner, tmp_path: Path
) -> None:
    """A forger who rebuilds the whole register with keys of their own passes every hash and
    signature check; only the key that opened the register, kept by the auditor, tells."""
    case_id = _archived(zhifa)
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path), "--no-pdf", "--json",
                      actor="王明")  # fmt: skip
    assert code == 0, doc
    bundle = str(doc["file"])
    code, office = zhifa("verify", "--json")
    root = office["trust_root"]
    assert (code, root["admin"]) == (0, "管理员")
    code, text = zhifa("verify")
    assert f"--trust-key {root['key'][:16]}" in text

    code, text = zhifa("archive", "verify", bundle)
    assert code == 0
    assert "信任根未核验" in text  # nothing to compare with: the auditor is told so
    code, doc = zhifa("archive", "verify", bundle, "--trust-key", root["key"][:16], "--json")
    assert (code, doc["problems"], doc["trust_root"]["checked"]) == (0, [], True)
    admin_key = tmp_path / "admin.pub"
    admin_key.write_text(runner.invoke(app, ["key", "show", "管理员"]).stdout, encoding="utf-8")
    assert zhifa("archive", "verify", bundle, "--trust-key", str(admin_key))[0] == 0

    other = runner.invoke(app, ["key", "show", "王明"]).stdout.strip()  # not the register's root
    code, doc = zhifa("archive", "verify", bundle, "--trust-key", other, "--json")
    assert code == 5
    assert any("信任根不符" in p for p in doc["problems"])
    assert zhifa("archive", "verify", bundle, "--trust-key", "zz")[0] == 2


def test_a_private_key_others_can_read_signs_nothing(zhifa: Invoke, tmp_path: Path) -> None:
    """电子签名法 Art. 13(二): the signing data under the signatory's sole control. A key file
    left group- or world-readable (a copy, an umask, a shared folder) is refused, as ssh does."""
    first = open_case(zhifa)
    key = next(p for p in (tmp_path / "keys").glob("*.key")
               if json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["name"] == "王明")  # fmt: skip
    key.chmod(0o644)
    code, text = zhifa("case", "open", "--procedure", "penalty", "--title", "另案", "--party",
                       "某公司", *FACTS, actor="王明")  # fmt: skip
    assert code == 2
    assert "私钥文件可被他人读取" in text
    assert "chmod 600" in text
    code, doc = zhifa("case", "list", "--json")
    assert [c["id"] for c in doc["cases"]] == [first]  # nothing half-done
    key.chmod(0o600)
    assert open_case(zhifa) != first


def test_verify_warns_until_a_recent_checkpoint_is_taken(
    zhifa: Invoke, monkeypatch: Any, tmp_path: Path
) -> None:
    """A deleted last event or whole case is found only against a checkpoint (trial: plain
    `verify` passed both): `verify` says when there is none within periods.checkpoint_days."""
    open_case(zhifa)
    code, text = zhifa("verify")
    assert (code, "尚无检查点" in text) == (0, True)
    assert zhifa("checkpoint", "--out", str(tmp_path / "cp.json"), actor="吴敏")[0] == 0
    code, doc = zhifa("verify", "--json")
    assert doc["checkpoint"] == {"taken_on": "2026-11-24", "days_ago": 0, "limit_days": 30,
                                 "stale": False}  # fmt: skip
    assert "最近检查点" in zhifa("verify")[1]
    monkeypatch.setenv("ZHIFA_TODAY", "2026-12-25")  # 31 days on
    code, text = zhifa("verify")
    assert code == 0  # a warning, not an integrity problem
    assert "已 31 天（超过 30 天）" in text


def test_verify_as_a_person_remembers_what_they_verified(zhifa: Invoke) -> None:
    """`--as NAME verify` signs what it found sound with NAME's key; NAME's next verify checks
    in full only what changed (issue 16: a province's verify in minutes, not hours)."""
    open_case(zhifa)
    code, text = zhifa("verify", actor="吴敏")
    assert code == 0
    assert "全面核验 full check: 尚无核验记录" in text
    assert "核验结果已记住" in text
    open_case(zhifa)
    code, doc = zhifa("verify", "--json", actor="吴敏")
    assert (code, doc["ok"], doc["remembered"]["used"]) == (0, True, True), doc["remembered"]
    assert (doc["remembered"]["by_seal"], doc["remembered"]["sound"]) == (1, 2)
    code, text = zhifa("verify", actor="吴敏")
    assert "据 吴敏 上次核验：2 件未变" in text
    code, text = zhifa("verify", "--full", actor="吴敏")
    assert "全面核验 full check: 全面核验 --full" in text
