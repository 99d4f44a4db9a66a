def get_event_type(event):
    """A short, stable name for the operation: the last two path segments, lower-cased."""
    parts = str(event.get("operationName") or "").lower().split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else parts[0]
