import { describe, expect, it } from 'vitest';
import { applyCommand, applyPending, commandFieldKeys, emptyState, type Command, type MasterplanState } from '../src/index.js';

function withProgram(): MasterplanState {
  const s = { ...emptyState('m'), startYear: 2019, endYear: 2028 };
  return applyCommand(s, {
    type: 'AddProgram',
    programId: 'p-1',
    title: 'SIPADU',
    dimension: 'governance',
    element: 'public_service',
    leadOpd: 'diskominfo',
    startYear: 2019,
    endYear: 2020,
  });
}

describe('applyCommand', () => {
  it('adds a program with the canonical defaults', () => {
    const p = withProgram().programs[0];
    expect(p).toMatchObject({ programId: 'p-1', description: '', quickWin: false, budget: [], indicators: [], supportingOpds: [] });
  });

  it('sets, replaces and removes budget lines, kept in (year, source) order', () => {
    const cmds: Command[] = [
      { type: 'SetProgramBudget', programId: 'p-1', year: 2020, source: 'APBD', amount: 5 },
      { type: 'SetProgramBudget', programId: 'p-1', year: 2019, source: 'APBN', amount: 7 },
      { type: 'SetProgramBudget', programId: 'p-1', year: 2019, source: 'APBD', amount: 1 },
      { type: 'SetProgramBudget', programId: 'p-1', year: 2020, source: 'APBD', amount: 6 },
      { type: 'RemoveProgramBudget', programId: 'p-1', year: 2019, source: 'APBN' },
    ];
    const s = applyPending(withProgram(), cmds.map((command) => ({ command })));
    expect(s.programs[0].budget).toEqual([
      { year: 2019, source: 'APBD', amount: 1 },
      { year: 2020, source: 'APBD', amount: 6 },
    ]);
  });

  it('updates plain fields, years, quick win, supporting OPDs and indicator targets', () => {
    const cmds: Command[] = [
      { type: 'UpdateProgram', programId: 'p-1', title: 'SIPADU 2' },
      { type: 'SetProgramYears', programId: 'p-1', startYear: 2020, endYear: 2021 },
      { type: 'SetQuickWin', programId: 'p-1', quickWin: true },
      { type: 'AddSupportingOpd', programId: 'p-1', opdId: 'bappeda' },
      { type: 'AddIndicator', programId: 'p-1', indicatorId: 'i-1', name: 'Layanan', unit: 'layanan' },
      { type: 'SetIndicatorTarget', programId: 'p-1', indicatorId: 'i-1', year: 2021, value: 9 },
      { type: 'SetIndicatorTarget', programId: 'p-1', indicatorId: 'i-1', year: 2020, value: 4 },
    ];
    const p = applyPending(withProgram(), cmds.map((command) => ({ command }))).programs[0];
    expect(p).toMatchObject({ title: 'SIPADU 2', startYear: 2020, endYear: 2021, quickWin: true, supportingOpds: ['bappeda'] });
    expect(p.indicators[0].targets).toEqual([{ year: 2020, value: 4 }, { year: 2021, value: 9 }]);
  });

  it('does not mutate its input and ignores unknown programs', () => {
    const s = withProgram();
    const frozen = JSON.stringify(s);
    const t = applyCommand(s, { type: 'SetQuickWin', programId: 'p-1', quickWin: true });
    expect(JSON.stringify(s)).toBe(frozen);
    expect(t).not.toBe(s);
    expect(applyCommand(s, { type: 'SetQuickWin', programId: 'nope', quickWin: true })).toBe(s);
  });

  it('adds nothing under an id the state already holds (the server refuses a taken id)', () => {
    let s = withProgram();
    s = applyCommand(s, { type: 'RegisterOpd', opdId: 'dispora', name: 'Dinas Pemuda dan Olahraga' });
    s = applyCommand(s, { type: 'AddMission', missionId: 'm-1', text: 'Padang religius' });
    s = applyCommand(s, { type: 'AddIndicator', programId: 'p-1', indicatorId: 'i-1', name: 'Layanan', unit: '%' });
    const again: Command[] = [
      { type: 'RegisterOpd', opdId: 'dispora', name: 'Dispora lagi' },
      { type: 'AddMission', missionId: 'm-1', text: 'lagi' },
      { type: 'AddIndicator', programId: 'p-1', indicatorId: 'i-1', name: 'lagi', unit: '%' },
      { type: 'AddProgram', programId: 'p-1', title: 'lagi', dimension: 'governance', element: 'public_service', leadOpd: 'diskominfo', startYear: 2019, endYear: 2020 },
    ];
    for (const command of again) expect(applyCommand(s, command)).toBe(s);
  });
});

describe('applyPending', () => {
  it('skips a command the state already holds: acked or landed at or before its version', () => {
    const s = { ...withProgram(), version: 7 };
    const retitle = (title: string): Command => ({ type: 'UpdateProgram', programId: 'p-1', title });
    const shown = applyPending(s, [
      { command: retitle('acked, in the state'), ackVersion: 7 },
      { command: retitle('landed, in the state'), landedVersion: 6 },
      { command: retitle('acked later'), ackVersion: 8 },
    ]);
    expect(shown.programs[0].title).toBe('acked later');
    expect(applyPending(s, [{ command: retitle('landed later'), landedVersion: 8 }]).programs[0].title).toBe('landed later');
    expect(applyPending(s, [{ command: retitle('landed'), landedVersion: 7 }])).toBe(s);
  });
});

describe('commandFieldKeys', () => {
  it('names the kernel field keys a command touches', () => {
    expect(commandFieldKeys({ type: 'UpdateProgram', programId: 'p-1', title: 't', description: 'd' })).toEqual([
      'program/p-1/title',
      'program/p-1/description',
    ]);
    expect(commandFieldKeys({ type: 'SetProgramBudget', programId: 'p-1', year: 2020, source: 'APBD', amount: 1 })).toEqual([
      'program/p-1/budget/2020/APBD',
    ]);
    expect(commandFieldKeys({ type: 'SetIndicatorTarget', programId: 'p', indicatorId: 'i', year: 2021, value: 1 })).toEqual([
      'program/p/indicator/i/target/2021',
    ]);
    expect(commandFieldKeys({ type: 'SetVision', text: 'x' })).toEqual(['masterplan/vision']);
  });
});
