"""``make demo``: render every sample in ``samples/`` into ``out/<same name>.docx`` and print the paths;
then produce every batch in ``samples/lo/`` into ``out/lo/<same name>/``. ``python -m docgen.demo [SAMPLES
[OUT]]``: the package's own samples and ``./out`` unless named.

A sample's kind is the registered kind its file name starts with (a plan's samples are
``<kind name>_*.json``), asked of the registry.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import api, batch, kinds
from .batch_folder import BatchFolder
from .errors import InvalidInput
from .export import write_atomic
from .paths import SAMPLES_DIR


def kind_of(path: Path) -> str | None:
    matches = [k for k in kinds.names() if path.stem == k or path.stem.startswith(k + "_")]
    return max(matches, key=len) if matches else None


def needs_number(path: Path) -> bool:
    """Whether the document carries a number line (an individual review form has none, nor recipients:
    check_format.py --no-number), as its header says."""
    built, _ = api.check(kind_of(path), path)
    return built is not None and bool(built.header.ky_hieu)


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
        loaded = batch.load(path, kind)
        summary = None
        if loaded.data is not None:
            with BatchFolder(out_dir / "lo" / path.stem) as folder:
                summary = batch.run(kind, batch.plan(kind, loaded.data), folder.path)
                if not summary.failed:
                    folder.commit()
        if summary is None or summary.failed:
            failed += 1
            print(f"LỖI lô {path.name}", file=sys.stderr)
            continue
        print(f"{out_dir / 'lo' / path.stem}/ ({summary.count('ok')} văn bản, {batch.MANIFEST})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
