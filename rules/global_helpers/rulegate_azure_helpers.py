"""Helpers shared by the Azure rules of the RuleGate example pack."""

SUCCESS_RESULTS = ("success", "succeeded")


def azure_operation(event):
    """The operation name, lower-cased: Azure writes it in several casings."""
    return str(event.get("operationName") or "").lower()


def azure_succeeded(event):
    return str(event.get("resultType") or "").lower() in SUCCESS_RESULTS


def azure_vault_name(event):
    """The vault name from a resource ID such as /subscriptions/../vaults/NAME/..."""
    parts = str(event.get("resourceId") or "").split("/")
    lowered = [part.lower() for part in parts]
    if "vaults" in lowered:
        index = lowered.index("vaults")
        if index + 1 < len(parts):
            return parts[index + 1]
    return "<unknown vault>"


def azure_caller(event):
    return event.get("caller") or event.deep_get("identity", "claims", "upn", default="<unknown caller>")
