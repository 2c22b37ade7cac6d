"""统计图表 (issue 16): pictures for officials — attendance over months and its spread
(MGT.3.RANK), coverage by 3类村 kind (SEL.SCOPE.COVER), villages on their check-in points, and
deadlines missed over time — each computed in the database for the user's jurisdiction, with
its table and .xlsx. Reads only (no models): it sits above the domain apps it reads."""
