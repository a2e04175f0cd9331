"""``make demo``: render every sample in ``samples/`` into ``out/<same name>.docx`` and print the paths;
then produce every batch in ``samples/lo/`` into ``out/lo/<same name>/``, and every sample campaign workbook
(``samples/chien_dich_*.xlsx``) into ``out/<same name>/``. ``python -m docgen.demo [SAMPLES
[OUT]]``: the package's own samples and ``./out`` unless named.

A sample's kind is the registered kind its file name starts with (a plan's samples are
``<kind name>_*.json``), asked of the registry.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import api, batch, kinds
from .batch_folder import BatchFolder
from .errors import InvalidInput, errors
from .export import write_atomic
from .paths import SAMPLES_DIR


def kind_of(path: Path) -> str | None:
    matches = [k for k in kinds.names() if path.stem == k or path.stem.startswith(k + "_")]
    return max(matches, key=len) if matches else None


def needs_number(path: Path) -> bool:
    """Whether the document carries a number line (an individual review form has none, nor recipients:
    check_format.py --no-number), as its header says."""
    from .numbers import is_numbered

    return is_numbered(api.check(kind_of(path), path)[0])


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    samples = Path(argv[0]) if argv else SAMPLES_DIR
    out_dir = Path(argv[1] if len(argv) > 1 else "out")
    failed = 0
    for path in sorted(samples.glob("*.json")):
        kind = kind_of(path)
        if kind is None:
            print(f"bỏ qua {path.name}: không rõ loại văn bản", file=sys.stderr)
            continue
        try:
            target = write_atomic(out_dir / f"{path.stem}.docx", api.render(kind, path))
            print(target)
        except InvalidInput as exc:
            failed += 1
            print(f"LỖI {path.name}:\n{exc}", file=sys.stderr)
    for path in sorted((samples / "lo").glob("*.json")):
        kind = kind_of(path)
        source = batch.open_source(path, kind)  # read unit by unit, as docgen batch reads it
        found = batch.survey(kind, source)
        summary = None
        if not errors(found.problems):
            start = source.head.get("so_bat_dau")  # the samples number themselves: no register is touched
            if start is not None:
                batch.set_numbers(kind, found.jobs, batch.consecutive(found.jobs, start))
            with BatchFolder(out_dir / "lo" / path.stem) as folder:
                summary = batch.produce(kind, source, found, folder.path)
                batch.write_manifest(summary)
                if not summary.failed:
                    folder.commit()
        if summary is None or summary.failed:
            failed += 1
            print(f"LỖI lô {path.name}", file=sys.stderr)
            continue
        print(f"{out_dir / 'lo' / path.stem}/ ({summary.count('ok')} văn bản, {batch.MANIFEST})")
    failed += sum(not _campaign(path, out_dir) for path in sorted(samples.glob("chien_dich_*.xlsx")))
    return 1 if failed else 0


def _campaign(path: Path, out_dir: Path) -> bool:
    """A sample campaign workbook into ``out/<name>/``, numbered from a register of the demo's own
    (``out/so_van_ban_di_demo.sqlite``): the user's real register is never touched by the demo."""
    from . import campaign, register

    out_dir.mkdir(parents=True, exist_ok=True)
    with register.open_register(out_dir / "so_van_ban_di_demo.sqlite", create=True) as reg:
        result = campaign.make(campaign.read(path), out_dir / path.stem, reg, restart=register.YEAR)
    if not result.ok:
        print(f"LỖI {path.name}:\n" + "\n".join(str(p) for p in result.problems), file=sys.stderr)
        return False
    made = sum(1 for o in result.outcomes if o.status == "ok")
    print(f"{out_dir / path.stem}/ ({made} văn bản, {len(result.entries)} số từ sổ {reg.path.name})")
    return True


if __name__ == "__main__":
    sys.exit(main())
