"""LoadSummary: what a load did, as the CLI prints it and load_run records it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoadSummary:
    db: str
    files_seen: int = 0
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    failed: int = 0
    unrecognized: int = 0
    evaluations: int = 0
    indicators: int = 0
    flags: int = 0
    lines: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # paths not read, each {"path", "reason"}: FIFOs, symbolic links out of the folder or looping,
    # unreadable folders (loaders.files.scan_report_files)
    skipped: list[dict[str, str]] = field(default_factory=list)
    # documents loaded by kind (evaluation, final_accounts, …), and the files loaded whose
    # documents are not all evaluations: {"path", "kinds"} each
    kinds: dict[str, int] = field(default_factory=dict)
    other_documents: list[dict[str, Any]] = field(default_factory=list)
    wrote: bool = False
    load_run_id: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unrecognized or self.skipped)

    def report(self) -> str:
        out = [
            f"文件 {self.files_seen} 个：新增 {self.new}，未变 {self.unchanged}，修订 {self.revised}，"
            f"失败 {self.failed + self.unrecognized}（其中未识别 {self.unrecognized}）；"
            f"载入评价 {self.evaluations} 条，指标 {self.indicators} 条，质量标记 {self.flags} 条，"
            f"原文 {self.lines} 行；用时 {self.seconds:.1f} 秒" + (f"；跳过 {len(self.skipped)} 个路径" if self.skipped else ""),
            f"files {self.files_seen}: new {self.new}, unchanged {self.unchanged}, revised {self.revised}, "
            f"failed {self.failed + self.unrecognized} (unrecognized {self.unrecognized}); "
            f"evaluations {self.evaluations}, indicators {self.indicators}, flags {self.flags}",
        ]
        other = {k: n for k, n in self.kinds.items() if k != "evaluation"}
        if other:
            from loaders.labels import document_kind_names

            names = document_kind_names()
            out.append(f"其中非评价文件 {sum(other.values())} 份（不参与得分比较）："
                       + "，".join(f"{names.get(k, k)} {n}" for k, n in sorted(other.items()))
                       + f"; not evaluations: {sum(other.values())}")
        if self.wrote:
            out.append(f"已写入 {self.db}（载入批次 {self.load_run_id}）")
        else:
            out.append(f"{self.db} 无需改动 (nothing to change)")
        if self.other_documents:
            from loaders.labels import document_kind_label

            for d in self.other_documents:
                out.append(f"{'、'.join(document_kind_label(k) for k in d['kinds'])}: {d['path']}")
        for e in self.errors:
            label = "未识别" if e["status"] == "unrecognized" else "失败"
            out.append(f"{label}: {e['path']}: {e['error']}")
        for e in self.skipped:
            out.append(f"跳过: {e['path']}: {e['reason']}")
        return "\n".join(out)
