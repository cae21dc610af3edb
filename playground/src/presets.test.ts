import forensics from '../../provisioning/dashboards/flow-forensics.json';
import { PRESETS, STORY_VARIABLES } from './presets';

describe('the playground story', () => {
  // The presets read $jump_host and $suspect: they must be the addresses the Flow forensics
  // dashboard finds. A suspect query without `src_inside = outside` picked the branch admins'
  // ssh client on a 200 000-tuple demo (it makes more ssh flows over three weeks than the
  // attacker), and steps 2 to 4 then followed an inside host instead of the attacker.
  it.each(['jump_host', 'suspect'])('resolves $%s with the Flow forensics dashboard query', (name) => {
    const dashboard = forensics.templating.list.find((v) => v.name === name);
    expect(STORY_VARIABLES.find((v) => v.name === name)?.query).toBe(dashboard?.query);
  });

  it('looks for the suspect outside the estate only', () => {
    expect(STORY_VARIABLES.find((v) => v.name === 'suspect')?.query).toMatch(/\bsrc_inside = outside\b/);
  });

  it('step 1 counts the ssh attempts from the internet, as the dashboard\'s step 1 table does', () => {
    const table = forensics.panels.find((p) => p.title.startsWith('ssh attempts to $jump_host from the internet'));
    expect(PRESETS[0].queries[0].filter).toEqual(table?.targets?.[0].filter);
  });
});
