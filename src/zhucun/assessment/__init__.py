"""MGT.5 (年考核制度), MGT.8.SJSP (三讲三评) and GUA.3.PRIORITY: quarterly 三讲三评 events and
their votes, rectifications, annual and end-of-term assessments drafted from the records the
system holds, the resident cadres' own 优秀 quota, and the feedback to the units."""
