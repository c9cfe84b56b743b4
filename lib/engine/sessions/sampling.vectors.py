"""Conformance vectors for session sampling (lib/engine/sessions), computed the way MLflow does.

MLflow samples session-level scorers with the same dense sampler as traces, the session id as
the entity id (mlflow/genai/scorers/online/session_processor.py calls
OnlineScorerSampler.sample(session.session_id, scorers) per filter group of
group_scorers_by_filter(session_level=True)). The hash and the waterfall below restate
mlflow/genai/scorers/online/sampler.py in plain Python: sha256 of f"{entity_id}:{scorer.name}" as
an int divided by 2**256, scorers sorted by sample rate descending (stable), stop at the first
hash strictly greater than rate / prev_rate. Vigil breaks rate ties by name, which equals MLflow
when MLflow receives the scorers in name order, so `expected_selected` sorts by name first.

Run: python3 lib/engine/sessions/sampling.vectors.py > lib/engine/sessions/sampling.vectors.json
"""

import hashlib
import json
import random
import sys
import uuid


def mlflow_hash(entity_id: str, scorer_name: str) -> float:
    return int(hashlib.sha256(f"{entity_id}:{scorer_name}".encode()).hexdigest(), 16) / (2**256)


def mlflow_sample(entity_id: str, scorers: list[tuple[str, float]]) -> list[str]:
    rates = dict(scorers)
    ordered = sorted(scorers, key=lambda s: rates.get(s[0], 0.0), reverse=True)
    selected, prev = [], 1.0
    for name, _ in ordered:
        rate = rates.get(name, 0.0)
        conditional = rate / prev if prev > 0 else 0
        if mlflow_hash(entity_id, name) > conditional:
            break
        selected.append(name)
        prev = rate
    return selected


rng = random.Random(20261202)
SESSION_JUDGES = ["UserFrustration", "ConversationCompleteness", "ConversationalSafety",
                  "ConversationalToolCallEfficiency", "ConversationalRoleAdherence",
                  "ConversationalGuidelines", "KnowledgeRetention", "repeated-question",
                  "user_frustration", "knowledge_retention"]
RATES = [1.0, 0.5, 0.25, 0.1, 0.01, 0.0, 0.75, 0.33]


def session_id() -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return str(uuid.UUID(int=rng.getrandbits(128)))
    if kind == 1:
        return f"session-{rng.randrange(10**9)}"
    if kind == 2:
        return "conv:" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(rng.randint(1, 60)))
    if kind == 3:
        return rng.choice(["会话-", "sessão-", "🗨️-"]) + str(rng.randrange(1000))
    return "x" * 250


cases = []
for i in range(200):
    sid = session_id()
    names = rng.sample(SESSION_JUDGES, rng.randint(1, 4))
    scorers = [(n, rng.choice(RATES)) for n in names]
    shuffled = scorers[:]
    rng.shuffle(shuffled)  # Vigil must not depend on input order
    cases.append({
        "session_id": sid,
        "scorers": [{"name": n, "sample_rate": r} for n, r in shuffled],
        "hashes": {n: mlflow_hash(sid, n) for n, _ in scorers},
        "expected_selected": mlflow_sample(sid, sorted(scorers, key=lambda s: s[0])),
    })

json.dump({"generator": "lib/engine/sessions/sampling.vectors.py", "python": sys.version.split()[0], "cases": cases},
          sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
