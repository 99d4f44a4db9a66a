from rulegate_azure_helpers import azure_caller, azure_operation, azure_succeeded, azure_vault_name

SECRET_ACCESS_OPERATIONS = {
    "microsoft.keyvault/vaults/secrets/getsecret/action",
    "microsoft.keyvault/vaults/secrets/recover/action",
    "microsoft.keyvault/vaults/secrets/restore/action",
}


def rule(event):
    return azure_operation(event) in SECRET_ACCESS_OPERATIONS and azure_succeeded(event)


def title(event):
    action = azure_operation(event).split("/")[-2]
    verb = {"getsecret": "read", "recover": "recovered", "restore": "restored"}.get(action, action)
    return f"Azure Key Vault secret {verb} in [{azure_vault_name(event)}] by [{azure_caller(event)}]"


def dedup(event):
    return f"{azure_vault_name(event)}:{azure_caller(event)}"


def alert_context(event):
    return {
        "operation": event.get("operationName"),
        "caller": azure_caller(event),
        "caller_ip": event.get("callerIpAddress"),
        "resource": event.get("resourceId"),
    }
