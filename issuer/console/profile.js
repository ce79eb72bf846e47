// The applicant's profile as a form (the `person` of POST /v1/eligibility
// and POST /v1/certificates, docs/policy.md), so that a clerk checks
// eligibility and issues a title whose route has rules without writing
// JSON. console.js merges PROFILE_TEXT into its texts and calls
// fillProfilePickers() and profileFromForm().
'use strict';

const PROFILE_TEXT = {
  zh: {
    pEducation: '最高学历', pGraduated: '毕业日期', pFullTime: '全日制', pSchool: '技工院校毕业班次',
    pSchoolGraduated: '技工院校毕业日期', pWorkSince: '从事专业技术工作起始日期', pSkill: '职业技能等级',
    pSkillObtained: '取得技能等级日期', pTitle: '已取得本专业职称', pTitleGranted: '取得职称日期',
    pPrivate: '民营企业', pIndustry: '所属行业', pInZone: '在区内工作', pManufacturing: '制造业企业',
    pHr: '从事人力资源工作', pFirst: '首次申报', pHours: '继续教育学时', pJson: '以 JSON 填写（填写后以此为准）',
    edu_zhongzhuan: '中专', edu_dazhuan: '大专', edu_bachelor: '本科', edu_master: '硕士研究生', edu_doctor: '博士研究生',
    edu_postdoc: '博士后', school_intermediate_worker: '中级工班', school_senior_worker: '高级工班',
    school_preparatory_technician: '预备技师班',
    pYears: '在本单位工作年限（社保核验）', pApplicantSigned: '申报人诚信承诺签署日期',
    pEmployerSigned: '单位诚信承诺签署日期', pCommitmentText: '承诺书文本版本',
  },
  en: {
    pEducation: 'Highest education', pGraduated: 'Graduated on', pFullTime: 'Full-time', pSchool: 'Technical school class',
    pSchoolGraduated: 'Technical school graduated on', pWorkSince: 'Technical work since', pSkill: 'Skill level',
    pSkillObtained: 'Skill level obtained on', pTitle: 'Title held in this specialty', pTitleGranted: 'Title granted on',
    pPrivate: 'Private enterprise', pIndustry: 'Industry', pInZone: 'Works in the zone', pManufacturing: 'Manufacturing',
    pHr: 'Works in human resources', pFirst: 'First application', pHours: 'Continuing education hours',
    pJson: 'As JSON (when filled, it is used instead)',
    edu_zhongzhuan: 'Secondary vocational', edu_dazhuan: 'Junior college', edu_bachelor: "Bachelor's", edu_master: "Master's",
    edu_doctor: 'Doctorate', edu_postdoc: 'Postdoctoral', school_intermediate_worker: 'Intermediate worker class',
    school_senior_worker: 'Senior worker class', school_preparatory_technician: 'Preparatory technician class',
    pYears: 'Years at the employer', pApplicantSigned: "Applicant's commitment signed on",
    pEmployerSigned: "Employer's commitment signed on", pCommitmentText: 'Commitment text version',
  },
};

const EDUCATION_LEVELS = ['zhongzhuan', 'dazhuan', 'bachelor', 'master', 'doctor', 'postdoc'];
const SCHOOL_CLASSES = ['intermediate_worker', 'senior_worker', 'preparatory_technician'];

// The pickers' choices, in the page's language; `t`, `named`, `fillSelect`
// and `catalogue` are console.js's.
function fillProfilePickers() {
  fillSelect($('p-education'), EDUCATION_LEVELS, (e) => t('edu_' + e), (e) => e, true);
  fillSelect($('p-school'), SCHOOL_CLASSES, (c) => t('school_' + c), (c) => c, true);
  const skills = (catalogue && catalogue.skill_levels) || [];
  fillSelect($('p-skill'), skills, (s) => named(s), (s) => s.code, true);
  const levels = (catalogue && catalogue.levels) || [];
  fillSelect($('p-title'), levels, (l) => named(l), (l) => l.code, true);
}

const checked = (id) => $(id).checked;
const dated = (id) => $(id).value || undefined;

// The profile as the API reads it; what the clerk left empty is left out.
function profileFromForm(target) {
  const person = {
    education: [], skill_levels: [], titles: [],
    employer: { in_zone: checked('p-in-zone'), manufacturing: checked('p-manufacturing') },
    hr_staff: checked('p-hr'), first_application: checked('p-first'),
    continuing_education_hours: Math.max(0, Number($('p-hours').value) || 0),
  };
  if ($('p-education').value && dated('p-graduated'))
    person.education.push({ level: $('p-education').value, full_time: checked('p-fulltime'), graduated: dated('p-graduated') });
  if ($('p-school').value && dated('p-school-graduated'))
    person.technical_school_class = { class: $('p-school').value, graduated: dated('p-school-graduated') };
  if (dated('p-work-since')) person.technical_work_since = dated('p-work-since');
  if ($('p-skill').value && dated('p-skill-obtained'))
    person.skill_levels.push({ level: Number($('p-skill').value), obtained: dated('p-skill-obtained') });
  if ($('p-title').value && dated('p-title-granted'))
    person.titles.push({ series: target.series, specialty: target.specialty, level: Number($('p-title').value), granted: dated('p-title-granted') });
  if (checked('p-private')) person.employer.kind = 'private';
  if ($('p-industry').value.trim()) person.employer.industry = $('p-industry').value.trim();
  return person;
}

// Measure 12 with an issuance: the years at the employer (checked against
// the social-security record) and the applicant's and employer's integrity
// commitments (双承诺), each left out when the clerk left it empty.
function measure12FromForm() {
  const out = {};
  const years = $('p-years').value;
  if (years !== '') out.employment = { years: Math.max(0, Number(years) || 0) };
  const version = $('p-commitment-text').value.trim();
  const commitments = {};
  if (dated('p-applicant-signed')) commitments.applicant = { signed: dated('p-applicant-signed'), text_version: version };
  if (dated('p-employer-signed')) commitments.employer = { signed: dated('p-employer-signed'), text_version: version };
  if (Object.keys(commitments).length) out.commitments = commitments;
  return out;
}
