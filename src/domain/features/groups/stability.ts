import { block } from '../feature.js';

export const stability = block(
  'stability',
  {
    phone_changed_90d: { unit: 'count', windowDays: 90, en: 'Phone number changes in the last 90 days', zh: '近90天更换手机号次数' },
    address_changed_90d: { unit: 'count', windowDays: 90, en: 'Address changes in the last 90 days', zh: '近90天更换地址次数' },
    employer_details_changed_90d: { unit: 'count', windowDays: 90, en: 'Employer contact changes in the last 90 days', zh: '近90天更换单位信息次数' },
    bank_account_changed_90d: { unit: 'count', windowDays: 90, en: 'Bank account changes in the last 90 days', zh: '近90天更换银行账户次数' },
    phone_changed_within_30d_of_origination: { unit: 'flag', en: 'Phone changed within 30 days of disbursement', zh: '放款后30天内更换手机号' },
    employment_changed_90d: { unit: 'count', windowDays: 90, en: 'Employment changes in the last 90 days', zh: '近90天工作变动次数' },
  },
  (s, out, o, at) => {
    // detailsChanged90 is in CONTACT_DETAILS order: phone, address, employer, bank_account.
    out[o + at.phone_changed_90d] = s.detailsChanged90[0]!;
    out[o + at.address_changed_90d] = s.detailsChanged90[1]!;
    out[o + at.employer_details_changed_90d] = s.detailsChanged90[2]!;
    out[o + at.bank_account_changed_90d] = s.detailsChanged90[3]!;
    out[o + at.phone_changed_within_30d_of_origination] = s.phoneChangedEarly;
    out[o + at.employment_changed_90d] = s.employmentChanged90;
  },
);
