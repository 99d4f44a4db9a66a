from rulegate_azure_helpers import azure_caller, azure_operation, azure_succeeded, azure_vault_name

CERTIFICATE_READ = "microsoft.keyvault/vaults/certificates/read"


def rule(event):
    return azure_operation(event) == CERTIFICATE_READ and azure_succeeded(event)


def title(event):
    return f"Azure Key Vault certificate read in [{azure_vault_name(event)}] by [{azure_caller(event)}]"


def alert_context(event):
    return {"caller": azure_caller(event), "resource": event.get("resourceId")}
