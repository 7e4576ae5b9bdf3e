"""What readers and partners see without logging in: pages, feeds and ClaimReview JSON-LD."""
