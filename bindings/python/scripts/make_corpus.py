"""Writes a deterministic corpus of synthetic posts for the throughput check."""

import json
import random
import sys

OPENERS = ["Big news:", "Quick tip:", "Honestly,", "Thread:", "PSA:", "Hot take:", "Today", "We just shipped"]
BODIES = [
    "our new release makes deploys twice as fast",
    "nobody talks about how much time flaky tests waste",
    "the best way to learn Rust is to build something small",
    "THIS CHANGES EVERYTHING for small teams",
    "read the full write-up and tell us what you think",
    "we measured every step of the pipeline and here is what we found",
    "is remote work still working for you?",
]
TAILS = ["", " #rust", " 🚀", " https://example.com/post", " @contentos", "!!", "?", " Sign up today."]


def main() -> None:
    n = int(sys.argv[1])
    rng = random.Random(42)
    texts = [
        f"{rng.choice(OPENERS)} {rng.choice(BODIES)}{rng.choice(TAILS)}{rng.choice(TAILS)}"
        for _ in range(n)
    ]
    json.dump({"texts": texts, "platform": "twitter", "posted_at": "2024-05-01T12:00:00Z"}, sys.stdout)


if __name__ == "__main__":
    main()
