#!/usr/bin/env python3
"""Cost and latency model of one bake on AWS (issue 8.5), from the counts measured on the stand-in.

Reads tools/benchmarks/results/bake-seed.json (transitions, invocations, task durations of the seed bake) and
coldstart.json (AOT cold start), template.yaml (MemorySize) and prints the markdown tables docs/benchmarks.md quotes.
Every assumption is a named constant below; prices are us-east-1 list prices (sources in docs/benchmarks.md).

    python3 tools/benchmarks/cost_model.py [RESULTS_DIR]
"""
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tools/benchmarks/results"

# Prices (USD, us-east-1).
SFN_PER_TRANSITION = 0.025 / 1000          # Step Functions Standard
LAMBDA_PER_GB_S = 0.0000166667             # Lambda x86 duration
LAMBDA_PER_REQUEST = 0.20 / 1_000_000      # Lambda requests
CI_PER_MINUTE = 0.008                      # GitHub-hosted Linux 2-core runner, per started minute

# The physical bound of a 10-minute bake: what AWS itself takes, whoever polls (assumptions, seconds).
PHASES = [
    ("WaitForInstance", "boot + SSM agent registered", 90),
    ("Provision", "scripts run (SSM Run Command)", 300),
    ("StopInstance", "instance stopped", 60),
    ("CreateImage", "snapshot + AMI available", 120),
    ("Teardown", "instance terminated, group deleted", 30),
]
CI_SETUP_SECONDS = 60   # runner start, checkout, packer init: billed too
AWS_TASK_SECONDS = 0.3  # a warm invocation on AWS: one or two AWS API calls (the stand-in's own figure is printed too)



def schedule():
    """Bakery's waits, read from functions/Bakery.Core/Steps/Internal/Polling.cs so the model cannot drift from the code:
    (first delays, seconds the last of them is kept, the delay after that)."""
    text = (ROOT / "functions/Bakery.Core/Steps/Internal/Polling.cs").read_text()
    first = re.search(r"Schedule\s*=\s*\[([\d,\s]+)\]", text)
    fast = re.search(r"FastSeconds\s*=\s*(\d+)", text)
    slow = re.search(r"SlowDelaySeconds\s*=\s*(\d+)", text)
    if not (first and fast and slow):
        sys.exit("cost_model.py: Polling.cs no longer has Schedule / FastSeconds / SlowDelaySeconds; update the parser with the code.")
    return [int(x) for x in first.group(1).split(",")], int(fast.group(1)), int(slow.group(1))


ADAPTIVE, FAST_SECONDS, SLOW_DELAY = schedule()
FAST_CHECKS = len(ADAPTIVE) + math.ceil((FAST_SECONDS - sum(ADAPTIVE)) / ADAPTIVE[-1])


def adaptive(k):
    return ADAPTIVE[min(k, len(ADAPTIVE) - 1)] if k < FAST_CHECKS else SLOW_DELAY


def previous(k):
    return [5, 5, 10, 15, 20, 30][min(k, 5)]


def fixed(seconds):
    return lambda k: seconds


def poll(delay_of, duration):
    """Checks at 0, d0, d0+d1, ...: the phase ends at the first check at or after `duration`.
    Returns (waits, overshoot, interval in effect at the end)."""
    t, k = 0, 0
    while t < duration:
        t += delay_of(k)
        k += 1
    return k, t - duration, delay_of(k - 1) if k else 0


def memory_mb():
    text = (ROOT / "template.yaml").read_text()
    match = re.search(r"Globals:.*?MemorySize:\s*(\d+)", text, re.S)
    return int(match.group(1)) if match else 128


def main():
    seed = json.loads((RESULTS / "bake-seed.json").read_text())["warm"]
    cold = json.loads((RESULTS / "coldstart.json").read_text())
    aot = next(r for r in cold["results"] if r["Variant"] == "AOT")
    aot_cold_s = sorted(aot["StartToResponseMs"])[len(aot["StartToResponseMs"]) // 2] / 1000
    base_transitions, base_invocations = seed["Transitions"], seed["TaskInvocations"]
    tasks = [e["EndMs"] - e["StartMs"] for e in seed["Timeline"] if e["Type"] == "Task"]
    local_task_s = sum(tasks) / len(tasks) / 1000
    gb = memory_mb() / 1024
    bound = sum(p[2] for p in PHASES)

    print(f"Measured on the stand-in (seed bake, every wait done at the first check): {base_transitions} transitions, "
          f"{base_invocations} Lambda invocations, mean Task {local_task_s * 1000:.0f} ms; AOT cold start {aot_cold_s * 1000:.0f} ms; "
          f"MemorySize {memory_mb()} MB.\n")

    print("| phase (physical time) | Bakery: waits, last interval | expected overshoot | Packer (15 s × 40): waits | expected overshoot |")
    print("| --- | --- | --- | --- | --- |")
    totals = {"bakery": [0, 0.0, 0.0], "packer": [0, 0.0, 0.0], "cap30": [0, 0.0, 0.0]}
    for name, what, seconds in PHASES:
        row = [f"{name}: {what} ({seconds} s)"]
        for key, delay in (("bakery", adaptive), ("packer", fixed(15)), ("cap30", previous)):
            waits, over, interval = poll(delay, seconds)
            totals[key][0] += waits
            totals[key][1] += over
            totals[key][2] += interval / 2
            if key == "bakery":
                row += [f"{waits} waits, {interval} s", f"{interval / 2:g} s"]
            elif key == "packer":
                row += [f"{waits} waits", f"{interval / 2:g} s"]
        print("| " + " | ".join(row) + " |")
    print()

    print(f"Physical bound of the modelled bake: {bound} s ({bound / 60:.0f} min).\n")
    print("| schedule | waits | expected polling overshoot (½ interval per phase) | % of the bake | transitions | invocations | Step Functions | Lambda (warm) | Lambda (+12 cold starts) | total per bake |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key, label in (("bakery", f"Bakery as configured ({', '.join(map(str, ADAPTIVE))} s, {SLOW_DELAY} s after {FAST_SECONDS // 60} min)"), ("cap30", "the first release's 5, 5, 10, 15, 20, then 30 s (for comparison)")):
        waits, over, expected = totals[key]
        transitions = base_transitions + 3 * waits   # each loop: Wait + Task + Choice
        invocations = base_invocations + waits
        sfn = transitions * SFN_PER_TRANSITION
        lam = invocations * (AWS_TASK_SECONDS * gb * LAMBDA_PER_GB_S + LAMBDA_PER_REQUEST)
        lam_cold = lam + base_invocations * aot_cold_s * gb * LAMBDA_PER_GB_S
        print(f"| {label} | {waits} | {expected:.1f} s | {100 * expected / bound:.1f}% | {transitions} | {invocations} | "
              f"${sfn:.5f} | ${lam:.6f} | ${lam_cold:.6f} | ${sfn + lam_cold:.4f} |")
    waits, over, expected = totals["packer"]
    ci_minutes = math.ceil((bound + expected + CI_SETUP_SECONDS) / 60)
    print(f"| Packer on a CI runner (15 s polls) | {waits} | {expected:.1f} s | {100 * expected / bound:.1f}% | – | – | – | – | – | "
          f"${ci_minutes * CI_PER_MINUTE:.3f} ({ci_minutes} runner minutes) |")
    print(f"\n(The build instance itself costs the same in every row and is left out. Lambda at {AWS_TASK_SECONDS} s per warm invocation; "
          f"the stand-in measured {local_task_s:.2f} s.)")


if __name__ == "__main__":
    main()
