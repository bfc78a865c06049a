export interface GoalRow {
  area: string;
  work: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean;
}
export function appendGoal(row: GoalRow): GoalRow;
export function readGoals(file: string): GoalRow[];
export function loadAverage(): string;
export function formatGoalTable(rows: GoalRow[]): string;
