ADMIN_ROLES = {"super administrator", "organization administrator", "application administrator"}


def rule(event):
    roles = {str(target.get("displayName", "")).lower() for target in event.get("target") or []}
    return bool(roles & ADMIN_ROLES)


def title(event):
    return f"Okta administrator role granted by [{event.deep_get('actor', 'alternateId')}]"
