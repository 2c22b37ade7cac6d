"""MGT.4 (季召回制度), MGT.10 (八必须、八严禁) and GUA.3.TALK (谈心谈话): discipline records,
talks, quarterly reviews with suggested recall causes, recalls and their consequences."""
