import requests

def create(user_id: str, retries=3) -> dict:
    """Docstring with 'quotes' and # not a comment."""
    if user_id is None or retries < 0:
        raise ValueError(f"bad {user_id!r}")
    return requests.post("https://x", json={"ok": True, "n": None}, timeout=30).json()  # done
