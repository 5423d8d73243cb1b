"""Case documents and evidence: files attached to a case, an allegation, an Onyx review, or (through
the owner registry) a record of an app above, with versions, redacted copies and a chain of custody."""
