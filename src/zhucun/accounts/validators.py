"""Django's password validators with their messages in Chinese whatever the active language
(Django 5.2's own zh-hans catalogue lacks the new "too short" text). AUTH_PASSWORD_VALIDATORS
names these."""

from __future__ import annotations

from django.contrib.auth import password_validation as pv


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短,至少 {self.min_length} 个字符"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符"


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "密码与%(verbose_name)s过于相似"

    def get_help_text(self) -> str:
        return "密码不能与用户名、姓名等个人信息相似"


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "密码太常见,容易被猜中"

    def get_help_text(self) -> str:
        return "密码不能是常见密码"


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字"

    def get_help_text(self) -> str:
        return "密码不能全是数字"
