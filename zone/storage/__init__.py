"""Stored files (uploaded documents): one small interface, two backends (a local directory, S3-compatible
object storage), every read checked against the SHA-256 recorded with the file's row."""
