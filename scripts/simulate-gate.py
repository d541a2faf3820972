#!/usr/bin/env python3
"""Simulates NetPerf's run-level gate on synthetic runs (an independent re-implementation, no engine, no packages).

Used to choose the quantile of the data-set gate (docs/verdict-defaults.md): a trial of run j is
exp(mu + b_j + e) with b_j ~ N(0, tau) per run (a fresh testbed) and e ~ N(0, sigma) per trial. For each try a
baseline of k runs of 5 trials is drawn; an unchanged (or regressed) first run of 3 trials is screened at half the
gate and, if screened, judged together with a confirmation run (the mean beyond the gate, each run beyond half of it;
the significance test at alpha 0.05 is left out: beyond such a gate it always holds). Prints false alarms per gate and the share of
regressions of 1.5 times the gate that are caught, with a normal quantile and with Student's t at Welch-Satterthwaite
degrees of freedom.

    python3 scripts/simulate-gate.py [tries]
"""
import math, random, statistics as st, sys

Z = st.NormalDist().inv_cdf
FALSE_ALARM_PER_GATE = 0.001


def t_quantile(p, v):
    """Cornish-Fisher expansion of Student's t quantile (good to a few percent for v >= 2)."""
    z = Z(p)
    return z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v * v) + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)


def spread(runs):
    logs = [[math.log(x) for x in r] for r in runs]
    meds = [math.log(st.median(r)) for r in runs]
    k = len(runs)
    centre = sum(meds) / k
    ss = sum(sum((x - sum(l) / len(l)) ** 2 for x in l) for l in logs)
    sigma2 = ss / sum(len(l) - 1 for l in logs)
    sm2 = sum((m - centre) ** 2 for m in meds) / (k - 1)
    h = sum(1 / len(r) for r in runs) / k
    tau2 = max(0.0, sm2 - math.pi / 2 * sigma2 * h)
    return centre, sigma2, sm2, tau2, k, h, sum(len(r) - 1 for r in runs)


def gate_log(s, n, m, satterthwaite):
    centre, sigma2, sm2, tau2, k, h, trial_df = s
    if tau2 > 0:
        a, b = 1 / m + 1 / k, max(0.0, math.pi / 2 * (1 / (n * m) - h / m))
    else:
        a, b = 1 / k, math.pi / 2 / (n * m)
    se2 = a * sm2 + b * sigma2
    if not satterthwaite:
        return Z(1 - FALSE_ALARM_PER_GATE) * math.sqrt(se2)
    df = se2**2 / ((a * sm2) ** 2 / (k - 1) + (b * sigma2) ** 2 / trial_df)
    return t_quantile(1 - FALSE_ALARM_PER_GATE, df) * math.sqrt(se2)


def simulate(tau, sigma, k, satterthwaite, regression, tries, rng):
    def run(shift, n):
        b = rng.gauss(0, tau)
        return [math.exp(shift + b + rng.gauss(0, sigma)) for _ in range(n)]
    hits = 0
    for _ in range(tries):
        s = spread([run(0, 5) for _ in range(k)])
        gate = max(-math.log(1 - 0.10), gate_log(s, 3, 2, satterthwaite))
        shift = -1.5 * gate if regression else 0.0
        first = -(math.log(st.median(run(shift, 3))) - s[0])
        if first <= gate / 2:
            continue
        second = -(math.log(st.median(run(shift, 3))) - s[0])
        hits += second > gate / 2 and (first + second) / 2 > gate
    return hits / tries


if __name__ == "__main__":
    tries = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rng = random.Random(20261202)
    print("| tau | sigma | runs | quantile | false alarms per gate | caught at 1.5x the gate |")
    print("|---:|---:|---:|---|---:|---:|")
    for tau, sigma, k in [(0.05, 0.08, 6), (0.05, 0.08, 4), (0.10, 0.10, 4), (0.10, 0.05, 3), (0.02, 0.08, 5)]:
        for satt in (False, True):
            fa = simulate(tau, sigma, k, satt, False, tries, rng)
            det = simulate(tau, sigma, k, satt, True, max(1000, tries // 5), rng)
            print(f"| {tau:.0%} | {sigma:.0%} | {k} | {'t (Satterthwaite)' if satt else 'normal'} | {fa:.2%} | {det:.1%} |")
