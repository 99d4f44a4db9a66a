def policy(resource):
    rules = resource.get("EncryptionRules") or []
    return any(rule.get("SSEAlgorithm") in ("AES256", "aws:kms", "aws:kms:dsse") for rule in rules)


def title(resource):
    return f"S3 bucket [{resource.get('Name')}] has no default encryption"
