-- Hand-written (docs/search.md): the tables each domain indexes for search.
SELECT 1;
