// Creates or edits (in place) the pull-request comment that starts with `marker`, so each push updates
// one comment instead of adding another. Called from actions/github-script.
const fs = require("fs");

module.exports = async ({ github, context, core }, { marker, file }) => {
  const body = fs.readFileSync(file, "utf8");
  if (!body.startsWith(marker)) throw new Error(`${file} does not start with ${marker}`);
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const previous = comments.find((c) => c.user && c.user.type === "Bot" && c.body && c.body.startsWith(marker));
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    core.info(`updated comment ${previous.html_url}`);
  } else {
    const { data } = await github.rest.issues.createComment({ owner, repo, issue_number, body });
    core.info(`created comment ${data.html_url}`);
  }
};
