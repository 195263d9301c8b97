#!/usr/bin/env python3
"""NumPy brute-force top-k, the peer of the embedded vector store in benches/vector.rs.

Loads the exact data the Rust bench generated (row-major little-endian float32, already
L2-normalised, like the store holds it) and answers commands on stdin, one per line:

  run <iters>   time <iters> top-k queries (rotating over the query set); prints elapsed ns
  check <i>     prints the top-k row indices of query i, best first (space separated)
  quit

Each query is the textbook NumPy exact search: scores = X @ q, argpartition for the top k,
then argsort of those k. Requires `pip install numpy`.
"""
import argparse
import sys
import time

import numpy as np


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--k", type=int, default=10)
    a = p.parse_args()

    x = np.fromfile(a.data, dtype="<f4").reshape(a.n, a.dim)
    qs = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.dim)
    k = a.k

    def top_k(q):
        scores = x @ q
        idx = np.argpartition(-scores, k)[:k]
        return idx[np.argsort(-scores[idx], kind="stable")]

    print("ready", np.__version__, flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "run":
            iters = int(parts[1])
            start = time.perf_counter_ns()
            for i in range(iters):
                top_k(qs[i % len(qs)])
            print(time.perf_counter_ns() - start, flush=True)
        elif parts[0] == "check":
            print(" ".join(str(int(i)) for i in top_k(qs[int(parts[1])])), flush=True)
        elif parts[0] == "quit":
            break


if __name__ == "__main__":
    main()
