// Attempts are outbound calls, robocalls and visits to the borrower; "reached" = answered or refused
// (someone picked up). Third-party contacts are never counted: they are not the borrower.
import { block } from '../feature.js';

export const contact = block(
  'contact',
  {
    contact_attempts_7d: { unit: 'count', windowDays: 7, en: 'Call, robocall and visit attempts in the last 7 days', zh: '近7天催收联系尝试次数' },
    contact_attempts_30d: { unit: 'count', windowDays: 30, en: 'Call, robocall and visit attempts in the last 30 days', zh: '近30天催收联系尝试次数' },
    contact_answer_rate_7d: { unit: 'ratio', windowDays: 7, missing: -1, en: 'Share of attempts reached in the last 7 days (-1: no attempt)', zh: '近7天接通率' },
    contact_answer_rate_30d: { unit: 'ratio', windowDays: 30, missing: -1, en: 'Share of attempts reached in the last 30 days (-1: no attempt)', zh: '近30天接通率' },
    unanswered_streak: { unit: 'count', en: 'Consecutive unanswered attempts up to now', zh: '连续未接通次数' },
    refusals_30d: { unit: 'count', windowDays: 30, en: 'Contacts refused in the last 30 days', zh: '近30天拒绝沟通次数' },
    switched_off_30d: { unit: 'count', windowDays: 30, en: 'Contacts with the phone switched off in the last 30 days', zh: '近30天关机次数' },
    wrong_number_30d: { unit: 'count', windowDays: 30, en: 'Contacts reaching a wrong number in the last 30 days', zh: '近30天号码错误次数' },
    inbound_contacts_30d: { unit: 'count', windowDays: 30, en: 'Contacts started by the borrower in the last 30 days', zh: '近30天借款人主动联系次数' },
    sms_sent_30d: { unit: 'count', windowDays: 30, en: 'SMS reminders sent in the last 30 days', zh: '近30天短信提醒次数' },
    opt_outs: { unit: 'count', en: 'Channels the borrower opted out of', zh: '借款人退订的渠道数' },
  },
  (s, out, o, at) => {
    out[o + at.contact_attempts_7d] = s.attempts7;
    out[o + at.contact_attempts_30d] = s.attempts30;
    out[o + at.contact_answer_rate_7d] = s.attempts7 > 0 ? s.reached7 / s.attempts7 : -1;
    out[o + at.contact_answer_rate_30d] = s.attempts30 > 0 ? s.reached30 / s.attempts30 : -1;
    out[o + at.unanswered_streak] = s.unansweredStreak;
    out[o + at.refusals_30d] = s.refusals30;
    out[o + at.switched_off_30d] = s.switchedOff30;
    out[o + at.wrong_number_30d] = s.wrongNumber30;
    out[o + at.inbound_contacts_30d] = s.inbound30;
    out[o + at.sms_sent_30d] = s.sms30;
    out[o + at.opt_outs] = s.optOuts;
  },
);
