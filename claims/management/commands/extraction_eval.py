"""Score the extractor on a corpus of annotated texts.

    python manage.py extraction_eval
    python manage.py extraction_eval --corpus path/to/texts --json
    python manage.py extraction_eval --check

Prints precision, recall and F1 for corrections, figures, speakers and check-worthiness
on the corpus's tuning and held-out splits and over all, then every miss. With
``--check`` it fails when a score is below the floors in the corpus's ``floors.json``.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.lib.extraction import extract
from claims.lib.extraction.evaluation import SPLITS, below_floors, evaluate, load_corpus

DEFAULT_CORPUS = Path(settings.BASE_DIR) / "tests" / "data" / "extraction"
SHOWN = ("corrections", "figures", "speakers", "checkworthy", "speaker kinds", "times")


class Command(BaseCommand):
    help = "Score the extractor on an annotated corpus: precision, recall and F1 per task."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--check", action="store_true", help="fail when a score is below floors.json"
        )
        parser.add_argument(
            "--misses",
            choices=[*SPLITS, "all"],
            default="all",
            help="whose misses to list (tune rules on tune misses alone)",
        )

    def handle(self, *args, **options):
        corpus: Path = options["corpus"]
        try:
            docs = load_corpus(corpus)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the corpus: {exc}") from None
        totals = evaluate(docs, extract)
        counts = {split: sum(d.split == split for d in docs) for split in SPLITS}
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(totals, counts), ensure_ascii=False, indent=2))
        else:
            self._print(totals, counts, options["misses"])
        if options["check"]:
            self._check(totals, corpus / "floors.json")

    def _print(self, totals: dict, counts: dict, misses: str) -> None:
        sizes = {**counts, "all": sum(counts.values())}
        heading = f"{'task':<15}" + "".join(
            f"{f'{split} ({sizes[split]} texts)':>24}" for split in (*SPLITS, "all")
        )
        self.stdout.write(heading)
        self.stdout.write(f"{'':<15}" + f"{'P     R     F1':>24}" * 3)
        for task in SHOWN:
            row = f"{task:<15}"
            for split in (*SPLITS, "all"):
                t = totals[split][task]
                row += f"{t.precision:>12.2f}{t.recall:>6.2f}{t.f1:>6.2f}"
            self.stdout.write(row)
        for task in SHOWN:
            tally = totals[misses][task]
            if tally.misses or tally.spurious:
                self.stdout.write(
                    f"\n{task}: {len(tally.misses)} missed, {len(tally.spurious)} spurious"
                )
                for line in tally.misses:
                    self.stdout.write(f"  missed    {line}")
                for line in tally.spurious:
                    self.stdout.write(f"  spurious  {line}")

    def _check(self, totals: dict, floors_path: Path) -> None:
        try:
            floors = json.loads(floors_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the floors: {exc}") from None
        failures = below_floors(totals, floors)
        if failures:
            raise CommandError("Extraction fell below its floors:\n" + "\n".join(failures))
        self.stdout.write(self.style.SUCCESS("Every score is at or above its floor."))


def _as_json(totals: dict, counts: dict) -> dict:
    return {
        "texts": counts,
        "scores": {
            split: {task: tally.as_dict(details=split == "all") for task, tally in tasks.items()}
            for split, tasks in totals.items()
        },
    }
