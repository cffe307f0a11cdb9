/** One file a report consists of: its name inside the output folder and its full content. */
export interface ReportFile {
  name: string;
  content: string;
}
