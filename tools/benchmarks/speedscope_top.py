#!/usr/bin/env python3
"""Summarise a speedscope (EventPipe) profile: inclusive and self sample counts per frame, top N.
Usage: speedscope_top.py FILE [N] [FILTER]  (FILTER: only frames containing this text in the inclusive list)"""
import json, sys, collections
data = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
needle = sys.argv[3] if len(sys.argv) > 3 else None
frames = [f["name"] for f in data["shared"]["frames"]]
incl, self_ = collections.Counter(), collections.Counter()
total = 0
for prof in data["profiles"]:
    if prof["type"] == "sampled":
        for stack, w in zip(prof["samples"], prof["weights"]):
            total += w
            for f in set(stack):
                incl[frames[f]] += w
            named = [frames[f] for f in stack if frames[f] not in ("CPU_TIME", "UNMANAGED_CODE_TIME")]
            if named:
                self_[named[-1]] += w
    else:  # evented
        stack, last = [], None
        for ev in prof["events"]:
            if last is not None and stack:
                d = ev["at"] - last
                total += d
                for f in set(stack):
                    incl[frames[f]] += d
                named = [frames[f] for f in stack if frames[f] not in ("CPU_TIME", "UNMANAGED_CODE_TIME")]
                if named:
                    self_[named[-1]] += d
            last = ev["at"]
            if ev["type"] == "O":
                stack.append(ev["frame"])
            else:
                stack.pop()
print(f"total {total:.1f}")
print("== inclusive")
for n, w in incl.most_common(400):
    if needle is None or needle in n:
        print(f"{100*w/total:6.1f}%  {n[:160]}")
        top_i = 0
print("== self")
for n, w in self_.most_common(top):
    print(f"{100*w/total:6.1f}%  {n[:160]}")
