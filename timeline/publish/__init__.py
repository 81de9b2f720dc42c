"""Files that leave the building: the single-file snapshot, its provenance, ClaimReview markup.

Heavy dependency: nbconvert (imported only when a snapshot is exported).
"""
