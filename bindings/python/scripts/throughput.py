"""Scores a corpus from Python: the Python side of the binding-overhead measurement.

Same protocol as the Rust example `score_throughput` (see scripts/overhead.py): load the
corpus, warm up on the first 1,000 posts, then score the whole corpus N times, printing one JSON
line per run with its wall time and the process CPU time (all threads) it used. ``--no-score``
stops after the warm-up (the baseline for instruction counts under callgrind).

    python throughput.py corpus.json [--repeats N] [--no-score]
"""

import argparse
import json
import time

import contentos


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-score", action="store_true")
    args = ap.parse_args()
    with open(args.corpus) as f:
        corpus = json.load(f)
    texts, platform, posted_at = corpus["texts"], corpus["platform"], corpus["posted_at"]
    contentos.score_posts(texts[:1000], platform=platform, posted_at=posted_at)
    if args.no_score:
        return
    for _ in range(args.repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        scores = contentos.score_posts(texts, platform=platform, posted_at=posted_at)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert len(scores) == len(texts)
        print(json.dumps({"lang": "python", "posts": len(texts), "wall": wall, "cpu": cpu}), flush=True)


if __name__ == "__main__":
    main()
