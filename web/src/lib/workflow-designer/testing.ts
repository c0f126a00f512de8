import type { WorkflowDefinition } from '@plantline/schema/workflow';
import { blankState, blankTransition } from './definition-edit';

/** A small NCR-like workflow for the designer's tests: draft → review → closed, with a rejection. */
export function sampleDefinition(): WorkflowDefinition {
  return {
    states: [
      blankState('draft', 'Draft', 'initial', { x: 0, y: 0 }),
      blankState('review', 'Under review', 'normal', { x: 0, y: 140 }),
      blankState('closed', 'Closed', 'final', { x: 0, y: 280 }),
    ],
    transitions: [
      blankTransition('submit', 'Submit', 'draft', 'review'),
      {
        ...blankTransition('approve', 'Approve', 'review', 'closed'),
        signature: { meaning: 'approval' },
        approval: {
          groups: [{ label: 'Quality', role: 'quality', users: [], minimum: 2 }],
          order: 'parallel',
          excludeEditors: false,
          rejectTo: 'draft',
        },
      },
      blankTransition('send_back', 'Send back', 'review', 'draft'),
    ],
  };
}
