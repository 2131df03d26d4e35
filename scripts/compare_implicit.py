"""Fit the `implicit` library's ALS on the matrix exported by `hybrid-rec export-als` and
compare it with our factors: seconds per iteration (single-threaded on both sides) and
precision@10 / NDCG@10 on the same time split, scored by the same code below.

    python scripts/compare_implicit.py EXPORT_DIR [--json OUT.json]

implicit builds the confidence of a stored entry as alpha * value; the export holds
c = 1 + alpha * r, so implicit runs with alpha = 1 and solves exactly our problem
(same factors, regularization, iterations and conjugate-gradient steps).
"""

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from threadpoolctl import threadpool_limits

import implicit
from implicit.cpu.als import AlternatingLeastSquares

K = 10


def read_pairs(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data


def evaluate(user_factors, item_factors, relevant, exclude):
    """Mean precision@K and NDCG@K over users with relevant items."""
    precisions, ndcgs = [], []
    for user, items in relevant.items():
        scores = item_factors @ user_factors[user]
        for item in exclude.get(user, ()):
            scores[item] = -np.inf
        top = np.argpartition(-scores, K)[:K]
        top = top[np.argsort(-scores[top], kind="stable")]
        hits = [1.0 if item in items else 0.0 for item in top]
        precisions.append(sum(hits) / K)
        dcg = sum(h / math.log2(p + 2) for p, h in enumerate(hits))
        ideal = sum(1.0 / math.log2(p + 2) for p in range(min(K, len(items))))
        ndcgs.append(dcg / ideal)
    return float(np.mean(precisions)), float(np.mean(ndcgs)), len(precisions)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path, help="folder written by hybrid-rec export-als")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    meta = json.loads((args.export / "meta.json").read_text())
    users, items, factors = meta["users"], meta["items"], meta["factors"]
    triplets = read_pairs(args.export / "confidence.csv")
    matrix = sparse.csr_matrix(
        (triplets[:, 2].astype(np.float32), (triplets[:, 0].astype(np.int64), triplets[:, 1].astype(np.int64))),
        shape=(users, items),
    )
    relevant, exclude = {}, {}
    for user, item in read_pairs(args.export / "relevant.csv").astype(np.int64):
        relevant.setdefault(int(user), set()).add(int(item))
    for user, item in read_pairs(args.export / "exclude.csv").astype(np.int64):
        exclude.setdefault(int(user), set()).add(int(item))

    model = AlternatingLeastSquares(
        factors=factors,
        regularization=meta["regularization"],
        alpha=1.0,
        iterations=meta["iterations"],
        random_state=42,
        num_threads=1,
    )
    model.cg_steps = meta["cg_steps"]
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        model.fit(matrix, show_progress=False)
        implicit_seconds = (time.perf_counter() - start) / meta["iterations"]

    ours_users = np.fromfile(args.export / "user_factors.f32", dtype="<f4").reshape(users, factors)
    ours_items = np.fromfile(args.export / "item_factors.f32", dtype="<f4").reshape(items, factors)
    theirs_users = np.asarray(model.user_factors)
    theirs_items = np.asarray(model.item_factors)

    ours = evaluate(ours_users, ours_items, relevant, exclude)
    theirs = evaluate(theirs_users, theirs_items, relevant, exclude)
    result = {
        "implicit_version": implicit.__version__,
        "users": users,
        "items": items,
        "nonzeros": int(matrix.nnz),
        "factors": factors,
        "iterations": meta["iterations"],
        "ours_ms_per_iteration": meta["seconds_per_iteration"] * 1000,
        "implicit_ms_per_iteration": implicit_seconds * 1000,
        "time_ratio": meta["seconds_per_iteration"] / implicit_seconds,
        "ours_precision": ours[0],
        "ours_ndcg": ours[1],
        "implicit_precision": theirs[0],
        "implicit_ndcg": theirs[1],
        "evaluated_users": ours[2],
    }
    print(
        f"{users} users x {items} items, {matrix.nnz} nonzeros, {factors} factors, {meta['iterations']} iterations\n"
        f"  ALS ms per iteration: ours {result['ours_ms_per_iteration']:.1f}, implicit {implicit.__version__} "
        f"{result['implicit_ms_per_iteration']:.1f} (ratio {result['time_ratio']:.2f})\n"
        f"  precision@{K}: ours {ours[0]:.4f}, implicit {theirs[0]:.4f}; "
        f"NDCG@{K}: ours {ours[1]:.4f}, implicit {theirs[1]:.4f} ({ours[2]} users)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
