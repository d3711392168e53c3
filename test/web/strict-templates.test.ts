import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../../src/app';
import { strictTemplates } from '../../src/web/strict-templates';

describe('strict templates', () => {
  test('only the listed templates can be named', () => {
    const strictInclude = strictTemplates(VIEWS_DIR, { cache: true, compileDebug: false });
    expect(() => strictInclude('../package', {})).toThrow('not a strict template');
    expect(() => strictInclude('today/index', {})).toThrow('not a strict template');
  });

  test('a strict template reads only what it names from locals, escaped as every view', () => {
    // A copy of the views folder's layout with a stand-in for today/_row, to see strict mode itself.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strict-'));
    fs.mkdirSync(path.join(dir, 'today'));
    const file = path.join(dir, 'today', '_row.ejs');
    fs.writeFileSync(file, '<% const { row } = locals; %><li><%= row.name %></li>');
    const cached = strictTemplates(dir, { cache: true, compileDebug: false });
    expect(cached('today/_row', { row: { name: '<b>Eva</b> & Jan' } })).toBe('<li>&lt;b&gt;Eva&lt;/b&gt; &amp; Jan</li>');

    // No `with`: a name the template does not take from locals is not found there.
    fs.writeFileSync(file, '<li><%= row.name %></li>');
    const fresh = strictTemplates(dir, { cache: false, compileDebug: true });
    expect(() => fresh('today/_row', { row: { name: 'Eva' } })).toThrow(/row is not defined/);
    // Compiled once when cached: the change to the file above is not seen.
    expect(cached('today/_row', { row: { name: 'Eva' } })).toBe('<li>Eva</li>');
    // Without the cache, a later change is seen; the same file is not compiled again per call.
    fs.writeFileSync(file, '<% const { row } = locals; %><p><%= row.name %></p>');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    expect(fresh('today/_row', { row: { name: 'Eva' } })).toBe('<p>Eva</p>');
    const compile = jest.spyOn(ejs, 'compile');
    expect(fresh('today/_row', { row: { name: 'Jan' } })).toBe('<p>Jan</p>');
    expect(compile).not.toHaveBeenCalled();
    compile.mockRestore();
    fs.rmSync(dir, { recursive: true });
  });
});
