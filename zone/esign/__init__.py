"""Companies' qualified electronic signatures: whose tax id a signing certificate carries, which
certification authorities are trusted, and the check of a zone-signed PDF that a company signed.

Used by the activity agreements (the countersignature) and by the companies (proof of a tax id claim).
"""
