#!/usr/bin/env python3
"""SymPy side of `npm run bench`.

Reads one JSON job on stdin (written by bench/run.ts) and prints one JSON
report on stdout. The job carries the scalar corpus and the matrix-calculus
cases, plus the points to evaluate derivatives at, so that
both sides are checked against the same finite differences in JavaScript.

SymPy memoises aggressively; the cache is cleared before every timed call so
each sample is a first computation, as it would be for a new expression.

`--scaling` mode differentiates one system of bench/scaling.ts in this fresh
process and reports its time and peak memory growth.

`--textbook` mode differentiates the textbook corpus (test/fixtures/textbook.ts) and
simplifies each result, reporting times, sizes and the simplified forms.

`--sizes` mode prints only the canonical tree sizes of SymPy's `diff` output
(and of `simplify(diff)`), the fixture test/core/simplicity.test.ts reads.
"""

import json
import sys
import time
import resource

import sympy
from sympy import ImmutableMatrix, Matrix, MatrixSymbol, Symbol, latex, simplify, sympify
from sympy.core.cache import clear_cache


def tree_size(e):
    """Nodes of SymPy's own tree; a numeric constant (-2, 1/2) is one leaf.

    SymPy keeps a - b as Add(a, Mul(-1, b)) and x/y as Mul(x, Pow(y, -1)),
    so those count as they are stored. Mirrors bench/tree-size.ts.
    """
    if e.is_Number or e.is_NumberSymbol or e.is_Symbol or not e.args:
        return 1
    return 1 + sum(tree_size(a) for a in e.args)


def timed(fn, repeats):
    """Median-ready samples in microseconds, each after clearing the cache."""
    samples = []
    result = None
    for _ in range(repeats):
        clear_cache()
        t0 = time.perf_counter_ns()
        result = fn()
        samples.append((time.perf_counter_ns() - t0) / 1000)
    return samples, result


def scalar_symbols(case):
    return {v: Symbol(v) for v in case["vars"]}


def parse_scalar(case):
    # convert_xor is sympify's default: `^` is a power, as in the other tools.
    return sympify(case["plain"], locals=scalar_symbols(case))


def run_scalar(case, repeats):
    syms = scalar_symbols(case)
    x = syms[case["wrt"]]

    def diff_pipeline():
        d = parse_scalar(case).diff(x)
        return d, latex(d)

    diff_t, (d, _) = timed(diff_pipeline, repeats)
    parse_t, _ = timed(lambda: parse_scalar(case), repeats)

    def simplify_pipeline():
        e = simplify(parse_scalar(case).diff(x))
        latex(e)
        return e

    full_t, s = timed(simplify_pipeline, repeats)
    values = []
    simplified_values = []
    for point in case["points"]:
        subs = {syms[v]: point[i] for i, v in enumerate(case["vars"])}
        values.append(to_float(d.evalf(subs=subs)))
        simplified_values.append(to_float(s.evalf(subs=subs)))
    return {
        "id": case["id"],
        "parseUs": parse_t,
        "diffUs": diff_t,
        "diffSimplifyUs": full_t,
        "diff": str(d),
        "diffLatex": latex(d),
        "simplified": str(s),
        "simplifiedLatex": latex(s),
        "diffSize": tree_size(d),
        "simplifiedSize": tree_size(s),
        "values": values,
        "simplifiedValues": simplified_values,
    }


def to_float(v):
    try:
        return float(v)
    except TypeError:
        c = complex(v)
        return c.real if abs(c.imag) < 1e-12 else None


def matrix_namespace(case, n):
    ns = {}
    for name, shape in case["symbols"].items():
        dims = [n if d == "n" else d for d in shape]
        ns[name] = MatrixSymbol(name, dims[0], dims[1])
    return ns


def run_matrix(case, repeats):
    n = Symbol("n", integer=True, positive=True)
    ns = matrix_namespace(case, n)
    wrt = ns[case["wrt"]]

    def pipeline():
        f = sympify(case["sympy"], locals=ns)
        d = f.diff(wrt)
        return d, latex(d)

    out = {"id": case["id"]}
    try:
        samples, (d, tex) = timed(pipeline, repeats)
    except Exception as e:  # SymPy raises on identities it does not know
        out["error"] = f"{type(e).__name__}: {e}".splitlines()[0]
        return out
    out.update({"us": samples, "result": str(d), "latex": tex})
    if d.has(sympy.Derivative):
        out["evalError"] = "left unevaluated"
        return out
    size = case["size"]
    concrete_ns = matrix_namespace(case, size)
    concrete = {concrete_ns[k]: ImmutableMatrix(v) for k, v in case["values"].items()}
    try:
        value = d.subs(n, size).subs(concrete).doit()
        entries = Matrix(value) if getattr(value, "is_Matrix", False) else [value]
        out["value"] = [to_float(c) for c in entries]
    except Exception as e:
        out["evalError"] = f"{type(e).__name__}: {e}".splitlines()[0]
    return out


def build_scaling(system):
    xs = [Symbol(v) for v in system["vars"]]
    loc = {v.name: v for v in xs}
    if system["kind"] == "jacobian":
        return latex(Matrix([sympify(c, locals=loc) for c in system["components"]]).jacobian(xs))
    return latex(sympy.hessian(sympify(system["plain"], locals=loc), xs))


def run_scaling(job):
    """One system in this fresh process: time, and growth of the peak resident set (as for ours)."""
    build_scaling(job["warmup"])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clear_cache()
    t0 = time.perf_counter_ns()
    build_scaling(job["system"])
    us = (time.perf_counter_ns() - t0) / 1000
    peak = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    return {"n": job["system"]["n"], "us": us, "peakBytes": peak}


def run_textbook(case, repeats):
    """diff then simplify of one case, per variable: timed together as one pipeline, sized as summed."""
    sizes = {d: Symbol(d, integer=True, positive=True) for d in ("n", "m")}
    if case.get("symbols"):
        ns = {k: MatrixSymbol(k, *[sizes.get(d, d) for d in shape]) for k, shape in case["symbols"].items()}
    else:
        ns = {v: Symbol(v) for v in case["wrt"]}

    def pipeline():
        f = sympify(case["sympy"], locals=ns)
        results = [simplify(f.diff(ns[v])) for v in case["wrt"]]
        for r in results:
            latex(r)
        return results

    out = {"id": case["id"]}
    try:
        samples, results = timed(pipeline, repeats)
    except Exception as e:  # SymPy raises on identities it does not know
        out["error"] = f"{type(e).__name__}: {e}".splitlines()[0]
        return out
    out.update({"us": samples, "text": [str(r) for r in results], "size": sum(tree_size(r) for r in results)})
    return out


def main():
    job = json.load(sys.stdin)
    if "--textbook" in sys.argv:
        json.dump({"sympy": sympy.__version__, "cases": [run_textbook(c, job["repeats"]) for c in job["cases"]]}, sys.stdout)
        return
    if "--scaling" in sys.argv:
        json.dump(run_scaling(job), sys.stdout)
        return
    if "--sizes" in sys.argv:
        sizes = {}
        for case in job["scalar"]:
            f = parse_scalar(case)
            d = f.diff(scalar_symbols(case)[case["wrt"]])
            sizes[case["id"]] = {
                "plain": case["plain"],
                "wrt": case["wrt"],
                "diff": str(d),
                "diffSize": tree_size(d),
                "simplifiedSize": tree_size(simplify(d)),
            }
        json.dump({"sympy": sympy.__version__, "sizes": sizes}, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return
    repeats = job["repeats"]
    report = {
        "sympy": sympy.__version__,
        "python": sys.version.split()[0],
        "scalar": [run_scalar(c, repeats) for c in job["scalar"]],
        "matrix": [run_matrix(c, repeats) for c in job["matrix"]],
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
