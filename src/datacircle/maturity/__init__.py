"""The digital maturity quick scan: questionnaire versions, scans, responses and results."""
