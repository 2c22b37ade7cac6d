"""待办: what waits for one user across every module, each item linking to the page where it
is done, with its deadline in working days. Providers (``providers/``) read each module's
selectors in a bounded number of queries; this app sits above the domain apps and below the
web and the API."""
