"""Scores the corpus from Python (best of 3) and compares with the Rust figure."""

import json
import sys
import time

import contentos


def main() -> None:
    corpus = json.load(open(sys.argv[1]))
    rust = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
    texts = corpus["texts"]
    contentos.score_posts(texts[:1000], posted_at=corpus["posted_at"])  # warm up lexicons
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        scores = contentos.score_posts(texts, platform=corpus["platform"], posted_at=corpus["posted_at"])
        best = min(best, time.perf_counter() - start)
    assert len(scores) == len(texts)
    py_rate = len(texts) / best
    overhead = (best / rust["seconds"] - 1.0) * 100.0
    print(f"Rust:   {rust['posts']:>7} posts in {rust['seconds']:.3f}s = {rust['posts_per_second']:,.0f} posts/s")
    print(f"Python: {len(texts):>7} posts in {best:.3f}s = {py_rate:,.0f} posts/s")
    print(f"binding overhead: {overhead:+.1f}% (goal <= 10%)")


if __name__ == "__main__":
    main()
