"""Every read Claimdesk makes: the queue, the desk's pages, the public pages and the feeds."""
